import { createHash } from 'node:crypto';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { Phase, type IProgress, type IResult } from '../proto/builder.js';
import { type BuilderError } from '../proto/errors.js';
import { AgentClient } from '../host/client.js';
import { AGENT_WITH_TEST_CONVERTER, servedAgentFixture, type ServedAgent } from './helpers/agent-process.js';
import { RawConnection } from './helpers/raw-connection.js';
import { rejection } from './helpers/expect-error.js';
import { errorCodeFromWire } from '../core/wire.js';

// The agent runs the test converter (test/helpers/test-converter.mjs): real files, real
// mkfs.erofs, real abort handling; image_ref picks how much work it does.
const QUICK = 'tree?files=8&bytes=4096';
const SLOW = 'tree?files=400&bytes=4096&delayMs=10';

async function sha256(path: string): Promise<string> {
  return `sha256:${createHash('sha256').update(await readFile(path)).digest('hex')}`;
}

/** Nothing the converter wrote is left: no output, no partial file, no work tree. */
async function expectNoLeftovers(served: ServedAgent): Promise<void> {
  expect(await readdir(served.outputDir)).toEqual([]);
  expect((await readdir(served.dir)).filter((name) => name.startsWith('test-converter-'))).toEqual([]);
}

describe('builder-agent serve: conversions (test converter, unix socket)', () => {
  const served = servedAgentFixture(AGENT_WITH_TEST_CONVERTER);
  const clients: AgentClient[] = [];
  async function connect(): Promise<AgentClient> {
    const client = await AgentClient.connect(`unix:${served().socket}`);
    clients.push(client);
    return client;
  }

  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    // Each test starts with an idle agent and an empty output directory.
    for (const name of await readdir(served().outputDir)) await rm(join(served().outputDir, name), { recursive: true });
  });

  it('converts and answers a Result that matches the file in the output dir', async () => {
    const client = await connect();
    expect(client.agent).toMatchObject({ erofsUtilsVersion: '1.5', compressions: ['lz4', 'lz4hc', 'none'], formats: [1] });
    const result = await client.convert({ image_ref: QUICK, output_name: 'images/app.erofs' });
    expect(result.path).toBe('images/app.erofs');
    const disk = join(served().outputDir, 'images/app.erofs');
    expect((await stat(disk)).size).toBe(result.size_bytes);
    expect(result.size_bytes! % 4096).toBe(0);
    expect(result.sha256).toBe(await sha256(disk));
    const superblock = await readFile(disk).then((bytes) => bytes.readUInt32LE(1024));
    expect(superblock).toBe(0xe0f5e1e2);
  });

  it('sends progress events in order, throttled to a few a second', async () => {
    const client = await connect();
    const progress: { update: IProgress; at: number }[] = [];
    const logs: string[] = [];
    const started = performance.now();
    await client.convert(
      { image_ref: 'tree?files=80&bytes=1024&delayMs=20' },
      { onProgress: (update) => progress.push({ update, at: performance.now() }), onLog: (_level, message) => logs.push(message) },
    );
    const seconds = (performance.now() - started) / 1000;
    const phases = progress.map(({ update }) => update.phase ?? 0);
    expect(phases[0]).toBe(Phase.RESOLVE);
    expect([...new Set(phases)]).toEqual([Phase.RESOLVE, Phase.APPLY, Phase.MKFS, Phase.FINALIZE]);
    expect(phases).toEqual([...phases].sort((a, b) => a - b));
    const applied = progress.filter(({ update }) => update.phase === Phase.APPLY).map(({ update }) => update.bytes_done ?? 0);
    expect(applied).toEqual([...applied].sort((a, b) => a - b));
    expect(applied.length).toBeGreaterThanOrEqual(2);
    // At most 4 a second plus one per phase change; the converter pushed one per file.
    expect(progress.length).toBeLessThanOrEqual(Math.ceil(seconds * 4) + 4);
    const pushed = Number(/pushed (\d+) progress updates/.exec(logs.join('\n'))?.[1]);
    expect(pushed).toBe(80 + 3);
    expect(progress.length).toBeLessThan(pushed / 2);
  });

  it('cancels mid-conversion: the converter sees the abort, nothing is left, the agent keeps serving', async () => {
    const client = await connect();
    const logs: string[] = [];
    let cancelled: Promise<void> | undefined;
    const converting = client.convert(
      { image_ref: SLOW, output_name: 'cancelled.erofs' },
      {
        onProgress: (update) => {
          if (update.phase === Phase.APPLY) cancelled ??= client.cancel();
        },
        onLog: (_level, message) => logs.push(message),
      },
    );
    const err = await rejection(converting);
    await cancelled;
    expect(err.code).toBe('CANCELLED');
    expect(logs.join('\n')).toMatch(/test converter saw abort: cancelled by the client/);
    await expectNoLeftovers(served());
    const result = await client.convert({ image_ref: QUICK });
    expect(result.path).toMatch(/^disk-[0-9a-f]{12}\.erofs$/);
  });

  it('stops a conversion at its timeout_seconds with TIMEOUT', async () => {
    const client = await connect();
    const err = await rejection(client.convert({ image_ref: SLOW, timeout_seconds: 1 }));
    expect(err.code).toBe('TIMEOUT');
    expect(err.message).toMatch(/within 1 s/);
    await expectNoLeftovers(served());
  });

  it('stops a conversion at the client-side timeout with TIMEOUT', async () => {
    const client = await connect();
    const started = performance.now();
    const err = await rejection(client.convert({ image_ref: SLOW, timeout_seconds: 60 }, { timeoutMs: 500 }));
    expect(err.code).toBe('TIMEOUT');
    expect(performance.now() - started).toBeLessThan(10_000);
    await expectNoLeftovers(served());
    await client.ping();
  });

  it('turns a converter failure into a clean Error and keeps serving on the same connection', async () => {
    const client = await connect();
    const err = await rejection(client.convert({ image_ref: 'mkfs-fails' }));
    expect(err.code).toBe('MKFS_FAILED');
    expect(err.message).toMatch(/mkfs\.erofs/);
    await expectNoLeftovers(served());
    expect((await client.convert({ image_ref: QUICK })).size_bytes).toBeGreaterThan(0);
  });

  it('refuses a second conversion with BUSY, from another connection, while the first runs on', async () => {
    const first = await connect();
    let firstSettled = false;
    const running = first.convert({ image_ref: 'tree?files=40&bytes=1024&delayMs=20' }).finally(() => (firstSettled = true));
    const second = await connect();
    const busy = await rejection(second.convert({ image_ref: QUICK }));
    expect(busy.code).toBe('BUSY');
    expect(busy.message).toMatch(/agent is already running/);
    expect(firstSettled).toBe(false);
    expect((await running).size_bytes).toBeGreaterThan(0);
    expect((await second.convert({ image_ref: QUICK })).size_bytes).toBeGreaterThan(0);
  });

  it('never sends a second Convert from one client: it refuses locally with BUSY', async () => {
    const client = await connect();
    const running = client.convert({ image_ref: QUICK });
    const busy = await rejection(client.convert({ image_ref: QUICK }));
    expect(busy.code).toBe('BUSY');
    expect(busy.message).toMatch(/this client/);
    expect((await running).size_bytes).toBeGreaterThan(0);
  });

  it('refuses a second Convert on a connection whose conversion is running, then answers the first', async () => {
    const raw = await RawConnection.greeted(served().socket);
    raw.send({ convert: { image_ref: 'tree?files=20&bytes=1024&delayMs=20' } });
    raw.send({ convert: { image_ref: QUICK } });
    const busy = await raw.next((event) => event.kind === 'error');
    expect(errorCodeFromWire(busy.error?.code ?? 0)).toBe('BUSY');
    const result = await raw.next((event) => event.kind === 'result');
    expect(result.result?.size_bytes).toBeGreaterThan(0);
    raw.destroy();
  });

  it('cancels the conversion of a client that disconnects', async () => {
    const raw = await RawConnection.greeted(served().socket);
    raw.send({ convert: { image_ref: SLOW, output_name: 'orphan.erofs' } });
    await raw.next((event) => event.progress?.phase === Phase.APPLY);
    raw.destroy();
    await served().agent.waitForLine(/test-converter: saw abort: cancelled: the client disconnected/);
    const client = await connect();
    // The slot frees once the pipeline has cleaned up; until then the agent says BUSY.
    let result: IResult | undefined;
    for (let attempt = 0; result === undefined; attempt++) {
      try {
        result = await client.convert({ image_ref: QUICK });
      } catch (err) {
        if ((err as BuilderError).code !== 'BUSY' || attempt > 50) throw err;
        await sleep(100);
      }
    }
    expect(await readdir(served().outputDir)).toEqual([result.path]);
  });
});
