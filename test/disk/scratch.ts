// Scratch space for the disk and work-area suites: temporary directories,
// small tmpfs mounts (a full output filesystem for real) and a look at the
// mount table, all removed again by dispose().
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { PARTIAL_PREFIX } from '../../agent/disk/output.js';
import { mountTable, type MountEntry } from '../../testkit/verify/index.js';

export interface Scratch {
  dir: string;
  /** A new directory below the scratch dir. */
  subdir(name: string): Promise<string>;
  /** A new directory with a tmpfs of `bytes` mounted on it (unmounted by dispose). */
  tmpfs(name: string, bytes: number, options?: string): Promise<string>;
  dispose(): Promise<void>;
}

export async function createScratch(prefix: string): Promise<Scratch> {
  const dir = await mkdtemp(join(tmpdir(), `${prefix}-`));
  const mounts: string[] = [];
  const subdir = async (name: string): Promise<string> => {
    const path = join(dir, name);
    await mkdir(path, { recursive: true });
    return path;
  };
  return {
    dir,
    subdir,
    async tmpfs(name, bytes, options = '') {
      const path = await subdir(name);
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes}${options ? `,${options}` : ''}`, 'disk-test', path]);
      mounts.push(path);
      return path;
    },
    async dispose() {
      for (const path of mounts.reverse()) if ((await mountsAt(path)).length > 0) execFileSync('umount', ['--lazy', path]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Mounts at `path` or below it. */
export async function mountsAt(path: string): Promise<MountEntry[]> {
  return (await mountTable()).filter((m) => m.mountpoint === path || m.mountpoint.startsWith(`${path}/`));
}

export async function listDir(dir: string): Promise<string[]> {
  return (await readdir(dir)).sort();
}

/** Pids of processes whose command line mentions `needle` (e.g. a temporary image path). */
export function processesMentioning(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(needle)) pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

/** Waits until a disk build writes its partial file in `dir` with its tool running on it; the file's path. */
export async function waitForRunningBuild(dir: string, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const partial = (await listDir(dir)).find((name) => name.startsWith(PARTIAL_PREFIX));
    if (partial && processesMentioning(join(dir, partial)).length > 0) return join(dir, partial);
    if (Date.now() > deadline) throw new Error(`no disk build seen running in ${dir} within ${timeoutMs} ms`);
    await new Promise((done) => setTimeout(done, 10));
  }
}

/**
 * Aborts `building` once its tool is seen running on a partial file in `dir`,
 * then expects CANCELLED, an empty `dir` and no process left on the file.
 */
export async function abortWhileRunning(building: Promise<unknown>, controller: AbortController, dir: string): Promise<void> {
  try {
    const temp = await waitForRunningBuild(dir);
    controller.abort();
    await expect(building).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(await listDir(dir)).toEqual([]);
    expect(processesMentioning(temp)).toEqual([]);
  } finally {
    controller.abort();
    await building.catch(() => undefined);
  }
}
