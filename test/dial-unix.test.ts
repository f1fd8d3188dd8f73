import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../proto/builder.js';
import { AgentClient } from '../host/client.js';
import { dialAgent, formatAgentAddress, parseAgentAddress } from '../host/dial.js';
import { dialSocat } from '../host/socat-stream.js';
import { AGENT_WITH_TEST_CONVERTER, spawnAgent, servedAgentFixture } from './helpers/agent-process.js';
import { expectConvertsOver } from './helpers/client-checks.js';
import { rejection, staleSocket } from './helpers/expect-error.js';

describe('agent addresses', () => {
  it.each([
    ['unix:/run/agent.sock', { kind: 'unix', path: '/run/agent.sock' }],
    ['hybrid-vsock:/run/ch/vm:1.vsock:5001', { kind: 'hybrid-vsock', path: '/run/ch/vm:1.vsock', port: 5001 }],
    ['vsock:3:5001', { kind: 'vsock', cid: 3, port: 5001 }],
  ])('parses %s', (text, address) => {
    expect(parseAgentAddress(text)).toEqual(address);
    expect(formatAgentAddress(parseAgentAddress(text))).toBe(text);
  });

  it.each(['unix:', 'tcp:1.2.3.4:5', 'hybrid-vsock:/x', 'hybrid-vsock::5', 'vsock:3', 'vsock:x:1', 'vsock:3:99999999999', 'vsock:-1:5'])(
    'rejects %s with INVALID_ARGUMENT',
    (text) => {
      expect(() => parseAgentAddress(text)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    },
  );
});

describe('unix dialer against the real agent', () => {
  const served = servedAgentFixture(AGENT_WITH_TEST_CONVERTER);

  it('dials, shakes hands, pings and converts', async () => {
    const client = await AgentClient.connect(`unix:${served().socket}`);
    expect(client.agent.protocolVersion).toBe(PROTOCOL_VERSION);
    await expectConvertsOver(client, served().outputDir, 'unix.erofs');
  });

  it('retries while the socket does not exist yet, then connects to the agent that came up', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wire-late-'));
    const socket = join(dir, 'late.sock');
    const retries: string[] = [];
    let late: ReturnType<typeof spawnAgent> | undefined;
    const starter = setTimeout(() => {
      late = spawnAgent(AGENT_WITH_TEST_CONVERTER, ['--listen', `unix:${socket}`, '--output-dir', dir]);
    }, 300);
    try {
      const client = await AgentClient.connect(`unix:${socket}`, {
        attempts: 40,
        backoffMs: 50,
        maxBackoffMs: 200,
        onRetry: (_attempt, err) => retries.push(err.message),
      });
      expect(retries.length).toBeGreaterThanOrEqual(1);
      expect(retries[0]).toMatch(/ENOENT/);
      await client.ping();
      client.close();
    } finally {
      clearTimeout(starter);
      await late?.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('gives up after the bounded attempts with AGENT_UNAVAILABLE and the last error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wire-none-'));
    try {
      const started = performance.now();
      const missing = await rejection(dialAgent(`unix:${join(dir, 'none.sock')}`, { attempts: 3, backoffMs: 10 }));
      expect(missing.code).toBe('AGENT_UNAVAILABLE');
      expect(missing.message).toMatch(/\(3 attempts\): .*ENOENT/);
      expect(performance.now() - started).toBeLessThan(5000);

      // A socket file nobody listens on refuses: retried the same way.
      const stale = join(dir, 'stale.sock');
      await staleSocket(stale);
      const refused = await rejection(dialAgent(`unix:${stale}`, { attempts: 2, backoffMs: 10 }));
      expect(refused.code).toBe('AGENT_UNAVAILABLE');
      expect(refused.message).toMatch(/\(2 attempts\): .*ECONNREFUSED/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('stops retrying when the signal aborts, with CANCELLED', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const err = await rejection(dialAgent('unix:/nonexistent/agent.sock', { attempts: 1000, backoffMs: 50, signal: controller.signal }));
    expect(err.code).toBe('CANCELLED');
  });

  it('speaks through a socat child process the same way the vsock dialer does', async () => {
    // There is no vsock loopback here, so the vsock dialer's stream (socat's stdio) is
    // exercised with a Unix target; only the address differs from VSOCK-CONNECT:CID:PORT.
    const stream = await dialSocat(`UNIX-CONNECT:${served().socket}`, 5000);
    await expectConvertsOver(await AgentClient.handshake(stream), served().outputDir, 'socat.erofs');
  });

  it('reports a vsock CID nobody answers on as AGENT_UNAVAILABLE (socat error) or TIMEOUT', async () => {
    // CID 3 with no VM: this guest kernel answers ENODEV at once, a host may let it time out.
    const err = await rejection(dialAgent('vsock:3:5001', { attempts: 1, attemptTimeoutMs: 2000 }));
    expect(['AGENT_UNAVAILABLE', 'TIMEOUT']).toContain(err.code);
    expect(err.message).toMatch(/VSOCK-CONNECT:3:5001/);
  });
});
