// Unfinished frames after the hello: a per-frame deadline and one budget for the
// bytes all connections hold (a real agent server in process, real Unix sockets;
// frame deadline shortened, budget at its default). RSS figures: npm run
// bench:frame-hold (docs/faults.md).
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FRAME_BUDGET_BYTES, startAgentServer, type AgentServer } from '../agent/server/server.js';
import { BuilderError } from '../proto/errors.js';
import { encodeFrame, MAX_FRAME_BYTES, MAX_FRAME_WIRE_BYTES } from '../proto/frames.js';
import { errorCodeFromWire } from '../core/wire.js';
import { RawConnection } from './helpers/raw-connection.js';

const FRAME_TIMEOUT_MS = 1500;

/** How a connection ended: the code of its last Error event. */
function closedWith(connection: RawConnection): string {
  const last = connection.events.at(-1)?.event;
  return last?.kind === 'error' ? errorCodeFromWire(last.error?.code ?? 0) : `no error (${connection.describe()})`;
}

async function expectPong(connection: RawConnection, nonce: bigint): Promise<void> {
  connection.send({ ping: { nonce } });
  expect((await connection.next((event) => event.pong?.nonce === nonce)).pong?.nonce).toBe(nonce);
}

describe('agent server: unfinished frames', () => {
  let dir: string;
  let server: AgentServer;
  let socket: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'frame-limits-'));
    await mkdir(join(dir, 'out'));
    socket = join(dir, 'agent.sock');
    server = await startAgentServer({
      listen: { kind: 'unix', path: socket },
      outputDir: join(dir, 'out'),
      converter: () => Promise.reject(new BuilderError('INTERNAL', 'no conversions in this test')),
      capabilities: { erofsUtilsVersion: 'probe', compressions: ['lz4'], formats: [1] },
      frameTimeoutMs: FRAME_TIMEOUT_MS,
      log: () => undefined,
    });
  });
  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('20 connections holding 4 MiB - 1 of a frame: those past the shared budget are closed with BUSY at once, the rest with TIMEOUT; idle ones live on', async () => {
    expect(DEFAULT_FRAME_BUDGET_BYTES).toBe(2 * MAX_FRAME_WIRE_BYTES);
    const idle = await RawConnection.greeted(socket);
    const full = encodeFrame(Buffer.alloc(MAX_FRAME_BYTES, 0x0a));
    const unfinished = full.subarray(0, full.length - 1);
    const holders: RawConnection[] = [];
    for (let i = 0; i < 20; i++) {
      const connection = await RawConnection.greeted(socket);
      connection.writeRaw(unfinished);
      holders.push(connection);
    }
    await Promise.all(holders.map((connection) => connection.closed));
    const codes = holders.map(closedWith);
    // The budget holds two whole frames; each holder needs all but one byte of one.
    expect(codes.filter((code) => code === 'TIMEOUT')).toHaveLength(2);
    expect(codes.filter((code) => code === 'BUSY')).toHaveLength(18);
    const busy = holders.find((connection) => closedWith(connection) === 'BUSY')!;
    expect(busy.events.at(-1)?.event.error?.message).toMatch(/^unfinished frames of all connections would hold more than 8388618 bytes/);
    // The deadline is per frame: a connection idle between frames all along is still served.
    expect(idle.isClosed).toBe(false);
    await expectPong(idle, 1n);
    idle.destroy();
    // The budget was given back: a fresh connection can send a whole 4 MiB frame (an undecodable one: PROTOCOL_ERROR, not BUSY).
    const after = await RawConnection.greeted(socket);
    after.writeRaw(full);
    await after.closed;
    expect(closedWith(after)).toBe('PROTOCOL_ERROR');
  });

  it('a frame trickled one byte at a time is cut at the frame deadline with TIMEOUT, whatever it still had to send', async () => {
    const connection = await RawConnection.greeted(socket);
    const frame = encodeFrame(Buffer.alloc(1000, 0x0a));
    let sent = 0;
    const timer = setInterval(() => {
      if (connection.isClosed) return;
      connection.writeRaw(frame.subarray(sent, sent + 1));
      sent += 1;
    }, 100);
    await connection.closed;
    clearInterval(timer);
    expect(closedWith(connection)).toBe('TIMEOUT');
    expect(connection.events.at(-1)?.event.error?.message).toMatch(/^a frame started 1500 ms ago is still incomplete \(\d+ bytes of it arrived\)$/);
    expect(sent).toBeLessThan(frame.length);
    const fresh = await RawConnection.greeted(socket);
    await expectPong(fresh, 2n);
    fresh.destroy();
  });
});
