// What a killed agent leaves behind, where no handler of its could run
// (SIGKILL, the OOM killer): its tmpfs work area still mounted and holding the
// applied tree in RAM, a partial disk in the output directory, the vsock
// listener's socket directory. Every such name carries its owner's pid;
// `serve` removes the ones of owners that are gone when it starts. A live
// owner's are never touched (agents may share a directory, e.g. /tmp).
import type { Logger } from '../../core/progress.js';
import { readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PARTIAL_PREFIX } from '../disk/output.js';
import { tearDownWorkArea, WORK_AREA_PREFIX } from '../workarea.js';
import { VSOCK_DIR_PREFIX } from './listen.js';

export interface LeftoverPlaces {
  /** Where work areas are created (`--work-dir`, else the temp dir). */
  workDir: string | undefined;
  /** The output directory: partial disks at its top level (nested output names are rare). */
  outputDir: string;
}

/** Removes what agents that are no longer running left behind; logs each removal. */
export async function removeLeftovers(places: LeftoverPlaces, log: Logger): Promise<void> {
  const warn = (message: string): void => log('warn', message);
  const mounts = await mountPoints();
  for (const dir of await orphans(places.workDir ?? tmpdir(), WORK_AREA_PREFIX)) {
    log('warn', `removing the work area ${dir} of a killed agent${mounts.has(dir) ? ' (tmpfs still mounted)' : ''}`);
    await tearDownWorkArea(dir, mounts.has(dir), warn);
  }
  for (const path of [...(await orphans(places.outputDir, PARTIAL_PREFIX)), ...(await orphans(tmpdir(), VSOCK_DIR_PREFIX))]) {
    log('warn', `removing ${path}, left by a killed agent`);
    await rm(path, { recursive: true, force: true }).catch((err: Error) => warn(`cannot remove ${path}: ${err.message}`));
  }
}

/** Entries of `dir` named PREFIX + pid + '-...' whose pid no longer runs. */
async function orphans(dir: string, prefix: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => []);
  return names
    .filter((name) => {
      const pid = /^(\d+)-/.exec(name.startsWith(prefix) ? name.slice(prefix.length) : '')?.[1];
      return pid !== undefined && Number(pid) !== process.pid && !running(Number(pid));
    })
    .map((name) => join(dir, name));
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Mount points of this mount namespace (mountinfo field 5, octal escapes undone). */
async function mountPoints(): Promise<Set<string>> {
  const text = await readFile('/proc/self/mountinfo', 'utf8').catch(() => '');
  return new Set(text.split('\n').map((line) => (line.split(' ')[4] ?? '').replace(/\\([0-7]{3})/g, (_m, octal: string) => String.fromCharCode(parseInt(octal, 8)))));
}
