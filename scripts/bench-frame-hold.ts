#!/usr/bin/env node
// Benchmark: what unfinished frames cost the agent. N connections (default 100)
// each complete the handshake, announce a frame of MAX_FRAME_BYTES and send all
// of it but the last byte, then hold. Reports the agent's RSS before and while
// held (VmRSS and its peak VmHWM from /proc), how the connections were closed
// (by error code) and when. Baseline in the same run: the agent with one
// greeted, idle connection.
//
//   npm run bench:frame-hold [-- CONNECTIONS]
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createConnection, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeEvent, encodeRequest, PROTOCOL_VERSION } from '../proto/builder.js';
import { encodeFrame, FrameDecoder, MAX_FRAME_BYTES } from '../proto/frames.js';
import { errorCodeFromWire } from '../core/wire.js';
import { AGENT_CLI, spawnAgent } from '../testkit/agent-spawn.js';

const MIB = 1024 * 1024;

function memory(pid: number): { rssMiB: number; peakMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMiB: Math.round(kib('VmRSS') / 1024), peakMiB: Math.round(kib('VmHWM') / 1024) };
}

interface Held {
  socket: Socket;
  closedBy?: string;
  closedAt?: number;
}

async function greeted(path: string, started: number): Promise<Held> {
  const socket = createConnection(path);
  const held: Held = { socket };
  const decoder = new FrameDecoder();
  socket.pipe(decoder);
  socket.on('error', () => undefined);
  decoder.on('error', () => undefined);
  let greetedResolve!: () => void;
  const hello = new Promise<void>((resolve) => (greetedResolve = resolve));
  decoder.on('data', (body: Buffer) => {
    const event = decodeEvent(body);
    if (event.kind === 'hello') greetedResolve();
    if (event.kind === 'error') held.closedBy = errorCodeFromWire(event.error?.code ?? 0);
  });
  socket.once('close', () => {
    held.closedBy ??= 'closed without an error';
    held.closedAt = performance.now() - started;
    greetedResolve();
  });
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  socket.write(encodeFrame(encodeRequest({ hello: { protocol_version: PROTOCOL_VERSION, client: 'bench-frame-hold' } })));
  await hello;
  return held;
}

/** A length prefix announcing MAX_FRAME_BYTES, then all of it but the last byte. */
function unfinishedFrame(): Buffer {
  const full = encodeFrame(Buffer.alloc(MAX_FRAME_BYTES, 0x0a));
  return full.subarray(0, full.length - 1);
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 100);
  const dir = await mkdtemp(join(tmpdir(), 'bench-frame-hold-'));
  await mkdir(join(dir, 'out'));
  const socketPath = join(dir, 'agent.sock');
  const agent = spawnAgent(AGENT_CLI, ['--listen', `unix:${socketPath}`, '--output-dir', join(dir, 'out'), '--work-dir', dir]);
  try {
    await agent.waitForLine(/listening on unix:/);
    const pid = agent.child.pid!;
    const started = performance.now();
    const idle = await greeted(socketPath, started);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const baseline = memory(pid);
    const frame = unfinishedFrame();
    const connections: Held[] = [];
    for (let i = 0; i < count; i++) {
      const held = await greeted(socketPath, started);
      connections.push(held);
      if (held.closedBy === undefined) held.socket.write(frame);
    }
    // Let the agent read what it will read.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const holding = memory(pid);
    const openAfterSend = connections.filter((held) => held.closedBy === undefined).length;
    // Wait for the agent to give up on the rest (its per-frame deadline), at most 90 s.
    for (let waited = 0; waited < 90_000 && connections.some((held) => held.closedBy === undefined); waited += 250) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const after = memory(pid);
    const byCode: Record<string, number> = {};
    for (const held of connections) byCode[held.closedBy ?? 'still open after 90 s'] = (byCode[held.closedBy ?? 'still open after 90 s'] ?? 0) + 1;
    const closeTimes = connections.map((held) => held.closedAt).filter((at): at is number => at !== undefined);
    console.log(
      JSON.stringify(
        {
          connections: count,
          frameBytesHeldEach: frame.length,
          agentRss: { baselineMiB: baseline.rssMiB, holdingMiB: holding.rssMiB, peakMiB: holding.peakMiB, afterMiB: after.rssMiB },
          growthMiB: holding.rssMiB - baseline.rssMiB,
          openAfterSend,
          closedBy: byCode,
          lastCloseSeconds: closeTimes.length ? Math.round(Math.max(...closeTimes) / 100) / 10 : null,
          idleConnectionStillOpen: idle.closedBy === undefined,
          heldBytesIfAllKeptMiB: Math.round((count * frame.length) / MIB),
        },
        null,
        2,
      ),
    );
    for (const held of [idle, ...connections]) held.socket.destroy();
  } finally {
    await agent.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
