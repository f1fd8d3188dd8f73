import { lstat, mkdir, mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type IRequest } from '../proto/builder.js';
import { MAX_FRAME_BYTES, encodeFrame } from '../proto/frames.js';
import { AGENT_CLI, spawnAgent, servedAgentFixture } from './helpers/agent-process.js';
import { RawConnection, type EventMessage } from './helpers/raw-connection.js';
import { staleSocket } from './helpers/expect-error.js';
import { errorCodeFromWire } from '../core/wire.js';

function errorCode(event: EventMessage): string {
  expect(event.kind).toBe('error');
  return errorCodeFromWire(event.error!.code ?? 0);
}

/** The agent still serves: a fresh connection completes a handshake and a ping. */
async function expectServing(socket: string): Promise<void> {
  const connection = await RawConnection.greeted(socket);
  connection.send({ ping: { nonce: 4242n } });
  const pong = await connection.next((event) => event.kind === 'pong');
  expect(pong.pong?.nonce).toBe(4242n);
  connection.destroy();
}

describe('builder-agent serve: handshake and framing (real CLI, unix socket)', () => {
  const served = servedAgentFixture(AGENT_CLI);

  it('listens on a 0600 socket and answers hello with its version and capabilities', async () => {
    const stats = await lstat(served().socket);
    expect(stats.isSocket()).toBe(true);
    expect(stats.mode & 0o777).toBe(0o600);
    const connection = await RawConnection.connect(served().socket);
    connection.send({ hello: { protocol_version: PROTOCOL_VERSION, client: 'test' } });
    const hello = await connection.next((event) => event.kind === 'hello');
    const pkg = JSON.parse(await readFile(join(import.meta.dirname, '../package.json'), 'utf8')) as { version: string };
    expect(hello.hello?.protocol_version).toBe(PROTOCOL_VERSION);
    expect(hello.hello?.agent_version).toBe(pkg.version);
    connection.destroy();
  });

  it('refuses another protocol version with VERSION_MISMATCH and closes', async () => {
    const connection = await RawConnection.connect(served().socket);
    connection.send({ hello: { protocol_version: PROTOCOL_VERSION + 1, client: 'future-host' } });
    await connection.closed;
    expect(connection.events).toHaveLength(1);
    expect(errorCode(connection.events[0]!.event)).toBe('VERSION_MISMATCH');
  });

  it('closes a connection whose first message is not hello, with PROTOCOL_ERROR', async () => {
    for (const first of [{ ping: { nonce: 1n } }, { convert: { image_ref: 'x' } }, { cancel: {} }] as IRequest[]) {
      const connection = await RawConnection.connect(served().socket);
      connection.send(first);
      await connection.closed;
      expect(connection.events).toHaveLength(1);
      expect(errorCode(connection.events[0]!.event)).toBe('PROTOCOL_ERROR');
    }
  });

  it('answers ping with the same nonce, exactly over the whole uint64 range, many times', async () => {
    const connection = await RawConnection.greeted(served().socket);
    const nonces = [1n, 2n ** 40n, 2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 1n, 7n];
    for (const nonce of nonces) connection.send({ ping: { nonce } });
    await connection.next((event) => event.pong?.nonce === 7n);
    expect(connection.events.filter(({ event }) => event.kind === 'pong').map(({ event }) => event.pong!.nonce)).toEqual(nonces);
    connection.destroy();
  });

  it('refuses a size over 2^53-1 (the range builder.proto declares) with PROTOCOL_ERROR naming the field', async () => {
    const connection = await RawConnection.greeted(served().socket);
    // ConvertRequest.size_limit_bytes = 2^53+1, written by hand: our encoder refuses to send it.
    const varint = (value: bigint): number[] => {
      const bytes: number[] = [];
      for (; value >= 0x80n; value >>= 7n) bytes.push(Number(value & 0x7fn) | 0x80);
      return [...bytes, Number(value)];
    };
    const convert = Buffer.from([0x0a, 1, 0x78, 0x40, ...varint(2n ** 53n + 1n)]);
    connection.writeRaw(encodeFrame(Buffer.concat([Buffer.from([0x12, convert.length]), convert])));
    await connection.closed;
    const last = connection.events.at(-1)!.event;
    expect(errorCode(last)).toBe('PROTOCOL_ERROR');
    expect(last.error?.message).toContain('request.convert.size_limit_bytes is 9007199254740993, over 2^53-1');
  });

  it('answers a Convert the pipeline cannot do with an Error naming the cause, and keeps the connection', async () => {
    const connection = await RawConnection.greeted(served().socket);
    connection.send({ convert: { image_ref: '-not-a-reference' } });
    const final = await connection.final();
    expect(errorCode(final)).toBe('INVALID_REFERENCE');
    expect(final.error?.message).toMatch(/-not-a-reference/);
    connection.send({ ping: { nonce: 9n } });
    expect((await connection.next((event) => event.kind === 'pong')).pong?.nonce).toBe(9n);
    connection.destroy();
  });

  it('rejects an escaping output name with PATH_REJECTED before any work', async () => {
    const connection = await RawConnection.greeted(served().socket);
    connection.send({ convert: { image_ref: 'x', output_name: '../escape.erofs' } });
    expect(errorCode(await connection.final())).toBe('PATH_REJECTED');
    connection.send({ convert: { image_ref: 'x', output_name: '-rf' } });
    expect(errorCode(await connection.final(15_000, 2))).toBe('INVALID_ARGUMENT');
    connection.destroy();
  });

  const broken: [string, Buffer, string][] = [
    ['an undecodable frame', encodeFrame(Buffer.from([0xff, 0xff, 0xff, 0xff])), 'PROTOCOL_ERROR'],
    ['a request without a kind', encodeFrame(Buffer.from([0x08, 0x01])), 'PROTOCOL_ERROR'],
    ['a malformed length prefix', Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), 'PROTOCOL_ERROR'],
    ['an oversized frame', Buffer.concat([Buffer.from([0x81, 0x80, 0x80, 0x02]), Buffer.alloc(64 * 1024, 1)]), 'FRAME_TOO_LARGE'],
  ];
  it.each(broken)('closes only the connection that sent %s (%s), and keeps serving', async (_what, bytes, code) => {
    const bystander = await RawConnection.greeted(served().socket);
    const connection = await RawConnection.greeted(served().socket);
    connection.writeRaw(bytes);
    await connection.closed;
    expect(errorCode(connection.events.at(-1)!.event)).toBe(code);
    expect(bystander.isClosed).toBe(false);
    bystander.send({ ping: { nonce: 5n } });
    expect((await bystander.next((event) => event.kind === 'pong')).pong?.nonce).toBe(5n);
    bystander.destroy();
    await expectServing(served().socket);
  });

  it('reports a frame truncated by the end of the stream with TRUNCATED', async () => {
    const connection = await RawConnection.greeted(served().socket);
    connection.writeRaw(Buffer.from([100, 1, 2, 3]));
    connection.socket.end();
    await connection.closed;
    expect(errorCode(connection.events.at(-1)!.event)).toBe('TRUNCATED');
    await expectServing(served().socket);
  });

  it('survives a frame of exactly the limit that is not a request', async () => {
    const connection = await RawConnection.greeted(served().socket);
    connection.writeRaw(encodeFrame(Buffer.alloc(MAX_FRAME_BYTES, 0xff)));
    await connection.closed;
    expect(errorCode(connection.events.at(-1)!.event)).toBe('PROTOCOL_ERROR');
    await expectServing(served().socket);
  });

  it('rejects a second hello on the same connection', async () => {
    const connection = await RawConnection.greeted(served().socket);
    connection.send({ hello: { protocol_version: PROTOCOL_VERSION } });
    await connection.closed;
    expect(errorCode(connection.events.at(-1)!.event)).toBe('PROTOCOL_ERROR');
  });
});

describe('builder-agent serve: the socket file and the process', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wire-sock-'));
    await mkdir(join(dir, 'out'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('replaces a stale socket left by a dead process', async () => {
    const socket = join(dir, 'stale.sock');
    await staleSocket(socket);
    const agent = spawnAgent(AGENT_CLI, ['--listen', `unix:${socket}`, '--output-dir', join(dir, 'out')]);
    try {
      await agent.waitForLine(/listening on unix:/);
      await expectServing(socket);
    } finally {
      await agent.stop();
    }
  });

  it('refuses to remove a file that is not a socket, or a live socket', async () => {
    const file = join(dir, 'not-a-socket');
    await writeFile(file, 'keep me');
    const onFile = spawnAgent(AGENT_CLI, ['--listen', `unix:${file}`, '--output-dir', join(dir, 'out')]);
    // INVALID_ARGUMENT exits 2, as in every command of both bins (cli/failure.ts).
    expect(await onFile.waitForExit()).toBe(2);
    expect(onFile.lines.join('\n')).toMatch(/not a socket/);
    expect(await readFile(file, 'utf8')).toBe('keep me');

    const socket = join(dir, 'live.sock');
    const first = spawnAgent(AGENT_CLI, ['--listen', `unix:${socket}`, '--output-dir', join(dir, 'out')]);
    try {
      await first.waitForLine(/listening on unix:/);
      const second = spawnAgent(AGENT_CLI, ['--listen', `unix:${socket}`, '--output-dir', join(dir, 'out')]);
      expect(await second.waitForExit()).toBe(2);
      expect(second.lines.join('\n')).toMatch(/^builder-agent serve: INVALID_ARGUMENT: .*already serving/m);
      await expectServing(socket);
    } finally {
      await first.stop();
    }
  });

  it('rejects bad arguments with exit code 2 and a message', async () => {
    const unknown = spawnAgent(AGENT_CLI, ['--listen', 'unix:/x', '--output-dir', dir, '--bogus']);
    expect(await unknown.waitForExit()).toBe(2);
    const badAddress = spawnAgent(AGENT_CLI, ['--listen', 'tcp:1', '--output-dir', dir]);
    expect(await badAddress.waitForExit()).toBe(2);
    expect(badAddress.lines.join('\n')).toMatch(/INVALID_ARGUMENT: listen address 'tcp:1'/);
    const noOutput = spawnAgent(AGENT_CLI, ['--listen', `unix:${join(dir, 'x.sock')}`, '--output-dir', join(dir, 'missing')]);
    expect(await noOutput.waitForExit()).toBe(2);
    expect(noOutput.lines.join('\n')).toMatch(/--output-dir .* is not an existing directory/);
  });

  it('shuts down on SIGTERM: exit 0, socket removed, clients see the connection end', async () => {
    const socket = join(dir, 'term.sock');
    const agent = spawnAgent(AGENT_CLI, ['--listen', `unix:${socket}`, '--output-dir', join(dir, 'out')]);
    await agent.waitForLine(/listening on unix:/);
    const connection = await RawConnection.greeted(socket);
    expect(await agent.stop()).toBe(0);
    await connection.closed;
    expect(await lstat(socket).catch(() => undefined)).toBeUndefined();
    expect(agent.lines.join('\n')).toMatch(/SIGTERM: shutting down[\s\S]*stopped/);
  });
});
