// A cross-process exclusive lock on a file, held by a small flock(1) child.
// Node has no flock(2); a lock file with a pid in it needs stale-lock breaking,
// which races (two breakers, pid reuse). flock(2) locks are released by the
// kernel when the holder dies, so there is nothing stale to detect: the child
// holds the lock while its stdin (a pipe from us) is open; when we release, or
// when this process dies for any reason, the pipe closes, `cat` sees EOF and
// exits, and the lock is gone.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { asBuilderError, BuilderError } from '../proto/errors.js';

export interface FileLock {
  release(): Promise<void>;
}

const BUSY_EXIT = 75;
// flock --no-fork execs the command, which inherits the locked descriptor.
const HOLDER = ['sh', '-c', 'echo locked && exec cat >/dev/null'];

/**
 * Takes the lock on `path` (created when missing). With `wait: false` returns
 * undefined at once if someone else holds it.
 */
export async function lockFile(path: string, options: { wait: boolean; signal?: AbortSignal }): Promise<FileLock | undefined> {
  const mode = options.wait ? [] : ['--nonblock', '--conflict-exit-code', String(BUSY_EXIT)];
  const child: ChildProcessByStdio<Writable, Readable, Readable> = spawn('flock', ['--exclusive', '--no-fork', ...mode, path, ...HOLDER], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const abort = (): void => {
    child.kill('SIGKILL');
  };
  options.signal?.addEventListener('abort', abort, { once: true });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (data: string) => (stderr += data));
  try {
    const locked = await new Promise<boolean>((resolve, reject) => {
      child.once('error', reject);
      child.stdout.once('data', () => resolve(true));
      void exited.then(() => resolve(false));
    });
    if (locked) {
      return {
        release: async () => {
          child.stdin.end();
          await exited;
        },
      };
    }
    const code = await exited;
    options.signal?.throwIfAborted();
    if (code === BUSY_EXIT) return undefined;
    throw new BuilderError('STORE_ERROR', `cannot lock ${path}: flock exited ${code}: ${stderr.trim()}`);
  } catch (err) {
    child.kill('SIGKILL');
    throw asBuilderError(err, 'STORE_ERROR');
  } finally {
    options.signal?.removeEventListener('abort', abort);
  }
}
