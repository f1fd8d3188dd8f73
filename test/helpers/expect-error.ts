import { spawn } from 'node:child_process';
import { lstat } from 'node:fs/promises';
import type { BuilderError } from '../../proto/errors.js';

/** The BuilderError a promise rejects with; fails if it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<BuilderError> {
  try {
    await promise;
  } catch (err) {
    return err as BuilderError;
  }
  throw new Error('expected a rejection');
}

/** Leaves a Unix socket file at `path` that nobody listens on (socat binds it, then dies by SIGKILL). */
export async function staleSocket(path: string): Promise<void> {
  const holder = spawn('socat', [`UNIX-LISTEN:${path}`, 'STDOUT'], { stdio: 'ignore' });
  for (let i = 0; i < 250 && !(await lstat(path).catch(() => undefined)); i++) await new Promise((r) => setTimeout(r, 20));
  const exited = new Promise((resolve) => holder.once('exit', resolve));
  holder.kill('SIGKILL');
  await exited;
  if (!(await lstat(path)).isSocket()) throw new Error(`no stale socket at ${path}`);
}
