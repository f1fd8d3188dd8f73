import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgentServer, type AgentServer } from '../agent/server/server.js';
import type { Converter } from '../agent/server/types.js';
import { createWorkArea, disposeAllWorkAreas, type WorkArea } from '../agent/workarea.js';
import { BuilderError } from '../proto/errors.js';
import { mountsAt } from './disk/scratch.js';
import { RawConnection } from './helpers/raw-connection.js';
import { errorCodeFromWire } from '../core/wire.js';

// Server options the CLI does not expose (handshake timeout, abort grace), exercised on
// the same server module in process.

/** A pipeline that does not honour its abort signal: it waits for a real `sleep` to end. */
const stubbornConverter: Converter = async () => {
  await promisify(execFile)('sleep', ['1.5']);
  throw new BuilderError('INTERNAL', 'the stubborn pipeline finished its sleep');
};

describe('agent server options', () => {
  let dir: string;
  let server: AgentServer;
  let socket: string;
  const log: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wire-inproc-'));
    await mkdir(join(dir, 'out'));
    socket = join(dir, 'agent.sock');
    server = await startAgentServer({
      listen: { kind: 'unix', path: socket },
      outputDir: join(dir, 'out'),
      converter: stubbornConverter,
      capabilities: () => Promise.resolve({ erofsUtilsVersion: 'probe', compressions: ['lz4'], formats: [1] }),
      handshakeTimeoutMs: 300,
      abortGraceMs: 200,
      log: (level, message) => log.push(`${level}: ${message}`),
    });
  });
  afterAll(async () => {
    await server?.close();
    await disposeAllWorkAreas(); // only does something when the work-area test failed
    await rm(dir, { recursive: true, force: true });
  });

  it('closes a connection that never says hello, with TIMEOUT', async () => {
    const connection = await RawConnection.connect(socket);
    await connection.closed;
    expect(connection.events).toHaveLength(1);
    expect(errorCodeFromWire(connection.events[0]!.event.error?.code ?? 0)).toBe('TIMEOUT');
  });

  it('announces what the capabilities provider probed', async () => {
    const connection = await RawConnection.greeted(socket);
    const hello = connection.events[0]!.event.hello!;
    expect(hello.erofs_utils_version).toBe('probe');
    expect(hello.compressions).toEqual(['lz4']);
    connection.destroy();
  });

  it('answers a cancel after the grace period when the pipeline ignores it, and stays BUSY until it returns', async () => {
    const connection = await RawConnection.greeted(socket);
    connection.send({ convert: { image_ref: 'x' } });
    connection.send({ cancel: {} });
    const final = await connection.final();
    expect(errorCodeFromWire(final.error?.code ?? 0)).toBe('CANCELLED');
    expect(final.error?.message).toMatch(/still cleaning up/);
    expect(log.join('\n')).toMatch(/has not stopped 200 ms after/);

    // The pipeline is still sleeping: the agent stays busy, then frees the slot when it returns.
    const answers: string[] = [];
    for (let attempt = 0; attempt < 100 && answers.at(-1) !== 'INTERNAL'; attempt++) {
      const from = connection.events.length;
      connection.send({ convert: { image_ref: 'y' } });
      const answer = await connection.final(15_000, from);
      answers.push(errorCodeFromWire(answer.error?.code ?? 0));
      if (answers.at(-1) === 'BUSY') await new Promise((resolve) => setTimeout(resolve, 100));
      else expect(answer.error?.message).toMatch(/finished its sleep/);
    }
    expect(answers[0]).toBe('BUSY');
    expect(answers.at(-1)).toBe('INTERNAL');
    connection.destroy();
  });

  it('does not let a stubborn pipeline hold up shutdown forever, nor its work area outlive it', async () => {
    let returned = false;
    let area: WorkArea | undefined;
    const shutdownLog: string[] = [];
    const socket2 = join(dir, 'shutdown.sock');
    const other = await startAgentServer({
      listen: { kind: 'unix', path: socket2 },
      outputDir: join(dir, 'out'),
      converter: async (job) => {
        area = await createWorkArea({ baseDir: dir, outputDir: job.outputDir, layers: [], tmpfsBytes: 1 << 20 });
        await stubbornConverter(job).catch(() => undefined);
        returned = true;
        throw new BuilderError('INTERNAL', 'returned');
      },
      capabilities: { erofsUtilsVersion: '', compressions: [], formats: [] },
      abortGraceMs: 100,
      log: (level, message) => shutdownLog.push(`${level}: ${message}`),
    });
    const connection = await RawConnection.greeted(socket2);
    connection.send({ convert: { image_ref: 'x' } });
    while (!shutdownLog.some((line) => /converting x$/.test(line))) await new Promise((resolve) => setTimeout(resolve, 10));
    while (area === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(existsSync(area.rootfs)).toBe(true);
    await other.close();
    expect(returned).toBe(false);
    expect(shutdownLog.join('\n')).toMatch(/still has not stopped; leaving it behind/);
    // The pipeline never disposed its work area: the server's shutdown did.
    expect(existsSync(area.dir)).toBe(false);
    expect(await mountsAt(area.dir)).toEqual([]);
    const final = await connection.final();
    expect(errorCodeFromWire(final.error?.code ?? 0)).toBe('CANCELLED');
    expect(final.error?.message).toMatch(/shutting down/);
    await connection.closed;
  });
});
