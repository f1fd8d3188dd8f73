// Private work directories inside the store (STORE/tmp/<id>/) for files the
// host makes itself before registering them, e.g. the host-side conversion's
// disk: on the store's filesystem, never on the guest's volume. Each one lives
// while its lock STORE/tmp/<id>.lock is held (flock, see lock.ts): the kernel
// drops the lock when the owner dies, so a free lock marks a leftover, which
// the next caller removes.
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { asBuilderError } from '../proto/errors.js';
import { lockFile } from './lock.js';
import type { ImageStore } from './store.js';

const WORK_DIR = 'tmp';
const LOCK_SUFFIX = '.lock';
const ID = /^[0-9a-f]{16}$/;

export interface StoreWorkDir {
  readonly path: string;
  /** Removes the directory and releases its lock. */
  remove(): Promise<void>;
}

export async function makeStoreWorkDir(store: ImageStore, signal?: AbortSignal): Promise<StoreWorkDir> {
  const base = join(store.root, WORK_DIR);
  try {
    await mkdir(base, { recursive: true, mode: 0o700 });
    await removeLeftovers(base);
    for (;;) {
      const id = randomBytes(8).toString('hex');
      const lockPath = join(base, `${id}${LOCK_SUFFIX}`);
      const lock = (await lockFile(lockPath, { wait: true, signal }))!;
      // A cleaner may have taken the fresh lock file first and deleted it: then it is not ours to use.
      if (!(await exists(lockPath))) {
        await lock.release();
        continue;
      }
      const path = join(base, id);
      await mkdir(path, { mode: 0o700 });
      return {
        path,
        async remove() {
          try {
            await rm(path, { recursive: true, force: true });
            await rm(lockPath, { force: true });
          } finally {
            await lock.release();
          }
        },
      };
    }
  } catch (err) {
    throw asBuilderError(err, 'STORE_ERROR');
  }
}

/** Work directories whose lock nobody holds, and directories that have no lock file at all. */
async function removeLeftovers(base: string): Promise<void> {
  const names = await readdir(base);
  const locks = new Set(names.filter((name) => name.endsWith(LOCK_SUFFIX)).map((name) => name.slice(0, -LOCK_SUFFIX.length)));
  for (const id of locks) {
    const lock = await lockFile(join(base, `${id}${LOCK_SUFFIX}`), { wait: false });
    if (!lock) continue;
    try {
      await rm(join(base, id), { recursive: true, force: true });
      await rm(join(base, `${id}${LOCK_SUFFIX}`), { force: true });
    } finally {
      await lock.release();
    }
  }
  for (const name of names) {
    if (ID.test(name) && !locks.has(name)) await rm(join(base, name), { recursive: true, force: true });
  }
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}
