// Runs e2fsprogs' debugfs read-only against an ext4 image (a guest-written one:
// hostile input to a user-space parser, never to the host kernel). Every call
// is bounded in time and output. debugfs often exits 0 after an error and
// reports it on stderr, so anything on stderr beyond its banner is a failure.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { BuilderError } from '../proto/errors.js';
import { toolEnv } from '../core/tool-env.js';

const BANNER = /^debugfs \d[^\n]*$|^\s*Using EXT2FS Library[^\n]*$|^catastrophic mode[^\n]*$|^$/;

export interface DebugfsLimits {
  timeoutMs?: number;
  maxOutputBytes?: number;
}

type DebugfsChild = ChildProcessByStdio<null, Readable, Readable>;

function startDebugfs(image: string, request: string): DebugfsChild {
  // -c: catastrophic mode, skips reading the bitmaps: faster, and read-only anyway (no -w).
  return spawn('debugfs', ['-c', '-R', request, image], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: toolEnv({ LC_ALL: 'C' }),
  });
}

function collectStderr(child: DebugfsChild): () => string {
  let text = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (data: string) => {
    if (text.length < 64 * 1024) text += data;
  });
  return () => text;
}

function exitOf(child: DebugfsChild): Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }> {
  return new Promise((resolve) => {
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
}

function failure(request: string, stderr: string, exit: { code: number | null; signal: NodeJS.Signals | null; error?: Error }): BuilderError | undefined {
  const complaints = stderr.split('\n').filter((line) => !BANNER.test(line));
  if (exit.error) return new BuilderError('INTERNAL', `debugfs could not run: ${exit.error.message}`, { cause: exit.error });
  if (exit.code !== 0 || complaints.length > 0) {
    const why = complaints.join('; ') || (exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`);
    return new BuilderError('PATH_REJECTED', `debugfs '${request}' failed: ${why}`);
  }
  return undefined;
}

/** Runs one request and returns its whole stdout. */
export async function debugfsQuery(image: string, request: string, limits: DebugfsLimits = {}): Promise<string> {
  const { timeoutMs = 30_000, maxOutputBytes = 16 * 1024 * 1024 } = limits;
  const child = startDebugfs(image, request);
  const stderr = collectStderr(child);
  const exited = exitOf(child);
  const chunks: Buffer[] = [];
  let size = 0;
  let overflow = false;
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  child.stdout.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > maxOutputBytes) {
      overflow = true;
      child.kill('SIGKILL');
    } else chunks.push(chunk);
  });
  const exit = await exited;
  clearTimeout(timer);
  if (overflow) throw new BuilderError('PATH_REJECTED', `debugfs '${request}' printed more than ${maxOutputBytes} bytes`);
  if (exit.signal === 'SIGKILL') throw new BuilderError('TIMEOUT', `debugfs '${request}' took longer than ${timeoutMs} ms`);
  const failed = failure(request, stderr(), exit);
  if (failed) throw failed;
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Streams one request's stdout (e.g. `cat <ino>`). Fails when no byte arrives
 * for `stallTimeoutMs`, or at the end when debugfs reported an error. Leaving
 * the loop early kills debugfs.
 */
export async function* debugfsStream(image: string, request: string, stallTimeoutMs = 60_000): AsyncGenerator<Buffer> {
  const child = startDebugfs(image, request);
  const stderr = collectStderr(child);
  const exited = exitOf(child);
  let stalled = false;
  let timer = setTimeout(onStall, stallTimeoutMs);
  function onStall(): void {
    stalled = true;
    child.kill('SIGKILL');
  }
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      clearTimeout(timer);
      yield chunk;
      timer = setTimeout(onStall, stallTimeoutMs);
    }
    const exit = await exited;
    if (stalled) throw new BuilderError('TIMEOUT', `debugfs '${request}' sent nothing for ${stallTimeoutMs} ms`);
    const failed = failure(request, stderr(), exit);
    if (failed) throw failed;
  } finally {
    clearTimeout(timer);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  }
}
