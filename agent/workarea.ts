// The agent's scratch space for one conversion: a private tmpfs (the applied
// root never touches the output volume), after fail-fast checks that the
// output volume is not clearly too small for the disk and the tmpfs not for
// the largest layer. Without permission to mount, a plain directory with a
// warning. dispose() unmounts (lazily when busy) and removes everything: the
// pipeline calls it in a finally (the server aborts a job's signal on Cancel,
// timeout and SIGTERM, so every exit ends there); disposeAllWorkAreas() is the
// server's last resort for a pipeline that ignores its abort.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, statfs } from 'node:fs/promises';
import { tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { DiskFormat } from '../core/disk-format.js';
import { BuilderError } from '../proto/errors.js';
import { EARLY_CHECK_SHARE, estimateDiskBytes, minimumTreeBytes, type SizedLayer } from './disk/estimate.js';
import { toolEnv } from '../core/tool-env.js';

const run = promisify(execFile);
const MiB = 1024 * 1024;
/** The tmpfs limit never exceeds this share of RAM: past it a full tmpfs means the OOM killer instead of ENOSPC. */
const TMPFS_MAX_SHARE_OF_RAM = 0.9;

export interface WorkAreaOptions {
  /** Directory in which the work area is created (default: os.tmpdir()). */
  baseDir?: string;
  /** Where the disk will be written: checked for free space first. */
  outputDir: string;
  /** The image's layers (compressed sizes from the manifest), for the space checks. */
  layers: readonly SizedLayer[];
  format?: DiskFormat;
  compression?: string;
  /** tmpfs size limit in bytes; default (and at most) workAreaLimitBytes(). */
  tmpfsBytes?: number;
  /** Bytes the output volume must have free instead of the share of the estimate; 0 skips the check. */
  requiredOutputBytes?: number;
  onWarning?: (message: string) => void;
}

export interface WorkArea {
  /** The work area's directory (the tmpfs mountpoint when mounted). */
  readonly dir: string;
  /** Where the layers are applied. */
  readonly rootfs: string;
  /** Whether `dir` is a tmpfs of its own. */
  readonly mounted: boolean;
  /** The tmpfs size limit in bytes; undefined for a plain directory. */
  readonly tmpfsBytes: number | undefined;
  /** Unmounts (lazily, with a warning, when busy) and removes everything. Idempotent; never throws. */
  dispose(): Promise<void>;
}

/** Work area directories are named WORK_AREA_PREFIX + pid + '-' + random: leftovers.ts finds a killed owner's. */
export const WORK_AREA_PREFIX = 'erofs-builder-work-';

const live = new Set<WorkArea>();

/** Disposes every work area still alive: for the agent's SIGTERM/SIGINT handler. */
export async function disposeAllWorkAreas(): Promise<void> {
  await Promise.all([...live].map((area) => area.dispose()));
}

/**
 * The tmpfs size limit: 90% of RAM, in whole MiB. Not an estimate of the tree:
 * the manifest does not say how far layers expand (a 400 MB file of zeros is a
 * 1 MB gzip layer; text 4-10x, binaries 2-3x), a limit costs nothing until it
 * is used, and an estimated one refused such images outright (NO_SPACE in the
 * apply phase, on the agent and on the host fallback alike). What bounds a
 * decompression bomb is this limit and the request's size limit (SIZE_LIMIT).
 */
export function workAreaLimitBytes(): number {
  return Math.floor((totalmem() * TMPFS_MAX_SHARE_OF_RAM) / MiB) * MiB;
}

/** Fails with NO_SPACE, giving both numbers, when `dir`'s filesystem has less than `needed` bytes available. */
export async function checkFreeSpace(dir: string, needed: number, what: string): Promise<number> {
  const fs = await statfs(dir).catch((err: unknown) => {
    throw new BuilderError('INVALID_ARGUMENT', `${what} ${dir} cannot be examined: ${(err as Error).message}`);
  });
  const available = fs.bavail * fs.bsize;
  if (available < needed) {
    throw new BuilderError('NO_SPACE', `${what} ${dir} has ${available} bytes (${mib(available)}) available, the conversion needs at least ${needed} bytes (${mib(needed)})`);
  }
  return available;
}

/**
 * The fail-fast check of the output volume: NO_SPACE below EARLY_CHECK_SHARE of
 * the disk estimate (or below requiredOutputBytes), a warning below the whole
 * estimate (see estimate.ts for why it cannot be a bound).
 */
async function checkOutputSpace(options: WorkAreaOptions, warn: (message: string) => void): Promise<void> {
  if (options.requiredOutputBytes !== undefined) {
    if (options.requiredOutputBytes > 0) await checkFreeSpace(options.outputDir, options.requiredOutputBytes, 'output directory');
    return;
  }
  const likely = estimateDiskBytes(options.layers, options.format ?? 'erofs', options.compression);
  const available = await checkFreeSpace(options.outputDir, Math.ceil(likely * EARLY_CHECK_SHARE), 'output directory');
  if (available < likely) {
    warn(`output directory ${options.outputDir} has ${available} bytes (${mib(available)}) available; disks of layers this size usually take ${likely} bytes (${mib(likely)}) or more: it may not fit`);
  }
}

export async function createWorkArea(options: WorkAreaOptions): Promise<WorkArea> {
  const warn = options.onWarning ?? (() => undefined);
  await checkOutputSpace(options, warn);
  const treeAtLeast = minimumTreeBytes(options.layers);
  let tmpfsBytes: number | undefined = options.tmpfsBytes ?? workAreaLimitBytes();
  const cap = workAreaLimitBytes();
  if (tmpfsBytes > cap) {
    warn(`work area: tmpfs of ${mib(tmpfsBytes)} capped at ${mib(cap)} (90% of RAM)`);
    tmpfsBytes = cap;
  }
  if (treeAtLeast > tmpfsBytes) {
    throw new BuilderError('NO_SPACE', `the work area's tmpfs may hold ${tmpfsBytes} bytes (${mib(tmpfsBytes)}), the largest layer alone unpacks to at least ${treeAtLeast} bytes (${mib(treeAtLeast)})`);
  }

  const dir = await mkdtemp(join(resolve(options.baseDir ?? tmpdir()), `${WORK_AREA_PREFIX}${process.pid}-`));
  let mounted = false;
  try {
    mounted = await mountTmpfs(dir, tmpfsBytes, warn);
    if (!mounted) {
      tmpfsBytes = undefined;
      await checkFreeSpace(dir, treeAtLeast, 'work directory');
    }
    await mkdir(join(dir, 'rootfs'), { mode: 0o755 });
  } catch (err) {
    await tearDownWorkArea(dir, mounted, warn);
    throw err;
  }
  const area = makeArea(dir, mounted, tmpfsBytes, warn);
  live.add(area);
  return area;
}

function makeArea(dir: string, mounted: boolean, tmpfsBytes: number | undefined, warn: (m: string) => void): WorkArea {
  let disposing: Promise<void> | undefined;
  const area: WorkArea = {
    dir,
    rootfs: join(dir, 'rootfs'),
    mounted,
    tmpfsBytes,
    dispose() {
      disposing ??= tearDownWorkArea(dir, mounted, warn).finally(() => live.delete(area));
      return disposing;
    },
  };
  return area;
}

/** Mounts a private tmpfs on `dir`; false (with a warning) when this process may not mount. */
async function mountTmpfs(dir: string, bytes: number, warn: (m: string) => void): Promise<boolean> {
  // noatime: reading the tree (mkfs) must not change it; ext4 disks record atimes.
  const options = `size=${bytes},mode=0700,noatime,nosuid,nodev`;
  try {
    await run('mount', ['-t', 'tmpfs', '-o', options, 'erofs-builder-work', dir], { env: toolEnv() });
    return true;
  } catch (err) {
    warn(`work area: cannot mount a tmpfs on ${dir} (${stderrOf(err)}); using a plain directory on ${dir}'s filesystem`);
    return false;
  }
}

/** Unmounts (lazily when busy) and removes `dir`; logs instead of throwing, since it runs on error paths. */
export async function tearDownWorkArea(dir: string, mounted: boolean, warn: (m: string) => void): Promise<void> {
  if (mounted) {
    try {
      await run('umount', [dir], { env: toolEnv() });
    } catch (err) {
      warn(`work area: umount ${dir} failed (${stderrOf(err)}); detaching it lazily`);
      await run('umount', ['--lazy', dir], { env: toolEnv() }).catch((lazyErr: unknown) => warn(`work area: lazy umount ${dir} failed too: ${stderrOf(lazyErr)}`));
    }
  }
  try {
    await rm(dir, { recursive: true, force: true, maxRetries: 2 });
  } catch (err) {
    warn(`work area: cannot remove ${dir}: ${(err as Error).message}`);
  }
}

function stderrOf(err: unknown): string {
  const stderr = (err as { stderr?: unknown }).stderr;
  const text = (typeof stderr === 'string' && stderr.trim()) || (err instanceof Error ? err.message : String(err));
  return text.replace(/\s*\n\s*/g, ' ');
}

function mib(bytes: number): string {
  return `${(bytes / MiB).toFixed(1)} MiB`;
}
