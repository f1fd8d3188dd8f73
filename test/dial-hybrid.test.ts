import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodeEvent, encodeEvent, encodeRequest, PROTOCOL_VERSION } from '../proto/builder.js';
import { encodeFrame, FrameDecoder } from '../proto/frames.js';
import { AgentClient } from '../host/client.js';
import { dialAgent } from '../host/dial.js';
import { AGENT_WITH_TEST_CONVERTER, servedAgentFixture } from './helpers/agent-process.js';
import { startHybridVsock, type HybridVsock, type HybridVsockOptions } from './helpers/hybrid-vsock.js';
import { expectConvertsOver } from './helpers/client-checks.js';
import { rejection } from './helpers/expect-error.js';

describe('hybrid-vsock dialer (emulated Cloud Hypervisor socket in front of the real agent)', () => {
  const served = servedAgentFixture(AGENT_WITH_TEST_CONVERTER);
  let dir: string;
  let vsockPath: string;
  let address: string;
  const emulators: HybridVsock[] = [];

  async function emulate(options: Partial<HybridVsockOptions> = {}): Promise<HybridVsock> {
    const emulator = await startHybridVsock({ path: vsockPath, agentSocket: served().socket, ...options });
    emulators.push(emulator);
    return emulator;
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wire-hybrid-'));
    vsockPath = join(dir, 'vm.vsock');
    address = `hybrid-vsock:${vsockPath}:5001`;
  });
  afterEach(async () => {
    for (const emulator of emulators.splice(0)) await emulator.close();
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes CONNECT <port>, accepts OK and converts over the stream', async () => {
    const emulator = await emulate();
    const client = await AgentClient.connect(address);
    expect(emulator.requests).toEqual(['CONNECT 5001']);
    await expectConvertsOver(client, served().outputDir, 'hybrid.erofs');
  });

  it('keeps bytes that arrive in the same read as the OK line, ahead of the agent data', async () => {
    const early = encodeFrame(encodeEvent({ log: { message: 'sent right behind OK' } }));
    await emulate({ afterOk: early });
    const stream = await dialAgent(address);
    const decoder = new FrameDecoder();
    stream.pipe(decoder);
    stream.write(encodeFrame(encodeRequest({ hello: { protocol_version: PROTOCOL_VERSION, client: 'test' } })));
    const kinds: (string | undefined)[] = [];
    for await (const frame of decoder) {
      const event = decodeEvent(frame as Buffer);
      kinds.push(event.kind);
      if (event.kind === 'log') expect(event.log?.message).toBe('sent right behind OK');
      if (kinds.length === 2) break;
    }
    expect(kinds).toEqual(['log', 'hello']);
    stream.destroy();
  });

  it('reads an OK line that arrives one byte at a time', async () => {
    await emulate({ splitAnswer: true });
    const client = await AgentClient.connect(address);
    await client.ping();
    client.close();
  });

  it('retries while the hybrid socket does not exist yet (VMM starting)', async () => {
    const retries: string[] = [];
    const late = setTimeout(() => void emulate(), 300);
    try {
      const client = await AgentClient.connect(address, { attempts: 30, backoffMs: 50, maxBackoffMs: 100, onRetry: (_n, err) => retries.push(err.message) });
      expect(retries.length).toBeGreaterThanOrEqual(1);
      expect(retries[0]).toMatch(/ENOENT/);
      await client.ping();
      client.close();
    } finally {
      clearTimeout(late);
    }
  });

  it('retries when the VMM closes before OK (nothing listens on the guest port yet)', async () => {
    const emulator = await emulate({ modes: ['close-before-ok', 'close-before-ok', 'ok'] });
    const retries: string[] = [];
    const client = await AgentClient.connect(address, { backoffMs: 20, onRetry: (_n, err) => retries.push(err.message) });
    expect(retries).toHaveLength(2);
    expect(retries[0]).toMatch(/closed before answering OK/);
    expect(emulator.requests).toEqual(['CONNECT 5001', 'CONNECT 5001', 'CONNECT 5001']);
    await client.ping();
    client.close();
  });

  it('retries when the VMM drops connections on accept (EPIPE/ECONNRESET: the guest device is not up yet)', async () => {
    await emulate({ modes: ['drop-on-accept', 'drop-on-accept', 'drop-on-accept', 'drop-on-accept', 'ok'] });
    const retries: string[] = [];
    const client = await AgentClient.connect(address, { backoffMs: 20, onRetry: (_n, err) => retries.push(err.message) });
    expect(retries).toHaveLength(4);
    for (const message of retries) expect(message).toMatch(/EPIPE|ECONNRESET|closed before answering OK/);
    expect(retries.some((message) => /EPIPE|ECONNRESET/.test(message))).toBe(true);
    await client.ping();
    client.close();
  });

  it('gives up after the bounded attempts with AGENT_UNAVAILABLE', async () => {
    const emulator = await emulate({ modes: ['close-before-ok'] });
    const err = await rejection(dialAgent(address, { attempts: 3, backoffMs: 10 }));
    expect(err.code).toBe('AGENT_UNAVAILABLE');
    expect(err.message).toMatch(/\(3 attempts\): .*closed before answering OK/);
    expect(emulator.requests).toHaveLength(3);
  });

  it('stops retrying at its deadline, however many attempts are left', async () => {
    await emulate({ modes: ['drop-on-accept'] });
    const err = await rejection(dialAgent(address, { attempts: 1000, backoffMs: 50, maxBackoffMs: 50, deadlineMs: 400 }));
    expect(err.code).toBe('AGENT_UNAVAILABLE');
    expect(err.message).toMatch(/attempts, 400 ms dial deadline\): .*(EPIPE|ECONNRESET|closed before answering OK)/);
    // Attempts 50 ms apart within 400 ms: a handful, nowhere near the 1000 allowed.
    const made = Number(/\((\d+) attempts/.exec(err.message)![1]);
    expect(made).toBeGreaterThan(1);
    expect(made).toBeLessThan(20);
  });

  it.each([
    ['garbage', /answered "ERR no such port" instead of OK/],
    ['long-line', /answer longer than 64 bytes without a newline/],
  ] as const)('fails at once with AGENT_UNAVAILABLE when the VMM answers %s', async (mode, message) => {
    const emulator = await emulate({ modes: [mode] });
    const err = await rejection(dialAgent(address, { attempts: 5, backoffMs: 10 }));
    expect(err.code).toBe('AGENT_UNAVAILABLE');
    expect(err.message).toMatch(message);
    expect(emulator.requests).toHaveLength(1);
  });

  it('times out a VMM that never answers CONNECT (dial timeout)', async () => {
    await emulate({ modes: ['silent'] });
    const started = performance.now();
    const err = await rejection(dialAgent(address, { attemptTimeoutMs: 300 }));
    expect(err.code).toBe('TIMEOUT');
    expect(err.message).toMatch(/no answer within 300 ms/);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('times out an agent that never says hello (handshake timeout)', async () => {
    await emulate({ modes: ['ok-then-silent'] });
    const err = await rejection(AgentClient.connect(address, { handshakeTimeoutMs: 300 }));
    expect(err.code).toBe('TIMEOUT');
    expect(err.message).toMatch(/no hello from the agent within 300 ms/);
  });

  it('fails the handshake with PROTOCOL_ERROR when garbage follows the OK line', async () => {
    await emulate({ afterOk: Buffer.from([0x03, 0xff, 0xff, 0xff]) });
    const err = await rejection(AgentClient.connect(address));
    expect(err.code).toBe('PROTOCOL_ERROR');
    expect(err.message).toMatch(/invalid frame/);
  });
});
