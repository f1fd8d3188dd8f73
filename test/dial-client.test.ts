import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeRequest, encodeEvent, Phase, PROTOCOL_VERSION, type IEvent } from '../proto/builder.js';
import { encodeFrame, FrameDecoder } from '../proto/frames.js';
import { AgentClient } from '../host/client.js';
import { AGENT_WITH_TEST_CONVERTER, serveOnUnixSocket, servedAgentFixture } from './helpers/agent-process.js';
import { rejection } from './helpers/expect-error.js';
import { errorCodeToWire } from '../core/wire.js';

const SLOW = 'tree?files=400&bytes=4096&delayMs=10';

describe('AgentClient against the real agent', () => {
  const served = servedAgentFixture(AGENT_WITH_TEST_CONVERTER);

  it('cancels through an AbortSignal with CANCELLED, and cancel() with nothing running is a no-op', async () => {
    const client = await AgentClient.connect(`unix:${served().socket}`);
    try {
      await client.cancel();
      const controller = new AbortController();
      const err = await rejection(
        client.convert({ image_ref: SLOW }, { signal: controller.signal, onProgress: (p) => p.phase === Phase.APPLY && controller.abort() }),
      );
      expect(err.code).toBe('CANCELLED');
      expect(err.message).toMatch(/cancelled by the caller/);
      expect((await client.convert({ image_ref: 'tree?files=2&bytes=4096' })).size_bytes).toBeGreaterThan(0);
    } finally {
      client.close();
    }
  });

  it('close() during a conversion rejects it and the agent cancels the job', async () => {
    const client = await AgentClient.connect(`unix:${served().socket}`);
    const converting = client.convert({ image_ref: SLOW }, { onProgress: (p) => p.phase === Phase.APPLY && client.close() });
    const err = await rejection(converting);
    expect(err.code).toBe('CANCELLED');
    await served().agent.waitForLine(/saw abort: cancelled: the client disconnected/);
  });

  it('reports an agent that dies mid-conversion as AGENT_UNAVAILABLE', async () => {
    const doomed = await serveOnUnixSocket(AGENT_WITH_TEST_CONVERTER);
    try {
      const client = await AgentClient.connect(`unix:${doomed.socket}`);
      const err = await rejection(
        client.convert({ image_ref: SLOW }, { onProgress: (p) => p.phase === Phase.APPLY && doomed.agent.child.kill('SIGKILL') }),
      );
      expect(err.code).toBe('AGENT_UNAVAILABLE');
      expect(err.message).toMatch(/closed the connection before the final event/);
      await expect(client.ping()).rejects.toMatchObject({ code: 'AGENT_UNAVAILABLE' });
    } finally {
      await doomed.close();
    }
  });
});

/**
 * A scripted peer for answers the real agent never gives (another protocol version, a
 * Result nobody asked for): a fault we cannot cause with the real agent.
 */
async function fakeAgent(path: string, answer: (kind: string | undefined) => IEvent[]): Promise<Server> {
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    const decoder = new FrameDecoder();
    socket.pipe(decoder);
    decoder.on('error', () => socket.destroy());
    decoder.on('data', (body: Buffer) => {
      for (const event of answer(decodeRequest(body).kind)) socket.write(encodeFrame(encodeEvent(event)));
    });
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return server;
}

describe('AgentClient against a misbehaving peer', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wire-fake-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses an agent speaking another protocol version with VERSION_MISMATCH', async () => {
    const path = join(dir, 'v2.sock');
    const server = await fakeAgent(path, () => [{ hello: { protocol_version: PROTOCOL_VERSION + 1, agent_version: '9.0.0' } }]);
    try {
      const err = await rejection(AgentClient.connect(`unix:${path}`));
      expect(err.code).toBe('VERSION_MISMATCH');
      expect(err.message).toMatch(/agent 9\.0\.0 speaks protocol 2/);
    } finally {
      server.close();
    }
  });

  it('passes on the error an agent answers a hello with', async () => {
    const path = join(dir, 'refuses.sock');
    const server = await fakeAgent(path, () => [{ error: { code: errorCodeToWire('VERSION_MISMATCH'), message: 'agent speaks protocol 7' } }]);
    try {
      const err = await rejection(AgentClient.connect(`unix:${path}`));
      expect(err.code).toBe('VERSION_MISMATCH');
    } finally {
      server.close();
    }
  });

  it('drops the connection on a Result nobody asked for, with PROTOCOL_ERROR', async () => {
    const path = join(dir, 'eager.sock');
    const server = await fakeAgent(path, (kind) =>
      kind === 'hello' ? [{ hello: { protocol_version: PROTOCOL_VERSION } }] : kind === 'ping' ? [{ result: { path: 'x' } }] : [],
    );
    try {
      const client = await AgentClient.connect(`unix:${path}`);
      const err = await rejection(client.ping(2000));
      expect(err.code).toBe('PROTOCOL_ERROR');
      expect(err.message).toMatch(/a result without a conversion/);
    } finally {
      server.close();
    }
  });
});
