// The disk file's life in the output directory: built under a hidden temporary
// name in the same directory (same filesystem, so the final rename is not a
// copy), flushed to the device before it is reported (the host reads the
// volume from outside the VM), and deleted on any failure or abort, because
// mkfs tools can leave a large sparse file behind.
import { randomBytes } from 'node:crypto';
import { rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { DiskFormat } from '../../core/disk-format.js';
import { syncPath } from '../../core/sync-path.js';
import { asBuilderError, BuilderError } from '../../proto/errors.js';

export interface DiskBuildResult {
  /** Absolute path of the finished disk. */
  path: string;
  format: DiskFormat;
  /** Bytes, a multiple of 4096. */
  size: number;
  sha256: string;
  uuid: string;
  /** e.g. "mkfs.erofs 1.5" or "mke2fs 1.47.0". */
  tool: string;
  /** The tool's arguments, with the source and temporary output paths, for logs. */
  args: string[];
  /** How the data was compressed ("lz4", "lz4hc,9", "none"); "none" for ext4. */
  compression: string;
}

/** Temporary disk files are named PARTIAL_PREFIX + pid + random; only a killed agent (SIGKILL) leaves one. */
export const PARTIAL_PREFIX = '.erofs-builder-partial-';

/** Runs `build(tempPath)` and moves its file to `outputFile`; on any error the temporary file is removed. */
export async function writeDiskFile<T>(outputFile: string, build: (tempPath: string) => Promise<T>): Promise<T> {
  const target = resolve(outputFile);
  const dir = dirname(target);
  const dirStat = await stat(dir).catch(() => undefined);
  if (!dirStat?.isDirectory()) throw new BuilderError('INVALID_ARGUMENT', `output directory ${dir} does not exist`);
  // Hidden, and independent of the final name's length (a long name must not overflow NAME_MAX).
  const temp = join(dir, `${PARTIAL_PREFIX}${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    const result = await build(temp);
    await syncPath(temp);
    await rename(temp, target);
    await syncPath(dir);
    return result;
  } catch (err) {
    await rm(temp, { force: true });
    throw asBuilderError(err);
  }
}
