// The source volume the guest wrote its disk into, seen from the host: either a
// host directory (shared or already mounted) or an ext4 image file read in user
// space with debugfs. Both give back a checked, not yet read, disk source.
import { stat } from 'node:fs/promises';
import { BuilderError } from '../proto/errors.js';
import type { DiskFile } from './diskcopy.js';
import { openDirectoryVolume } from './volume-dir.js';
import { openExt4ImageVolume } from './volume-ext4.js';

export type VolumeKind = 'directory' | 'ext4-image';

/** A regular file found on the volume by a validated path (`path`, relative to the volume). */
export type VolumeDisk = DiskFile;

export interface OpenDiskOptions {
  /** Files above this are refused before a byte is read (SIZE_LIMIT). Default DEFAULT_DISK_SIZE_LIMIT. */
  sizeLimit?: number;
}

export interface Volume {
  readonly kind: VolumeKind;
  readonly location: string;
  /**
   * Resolves `relPath` on the volume without following any symlink and checks
   * that it names a regular file of size 1..sizeLimit. Fails with PATH_REJECTED,
   * NOT_FOUND, NOT_REGULAR or SIZE_LIMIT.
   */
  openDisk(relPath: string, options?: OpenDiskOptions): Promise<VolumeDisk>;
  /**
   * Deletes the regular file at `relPath` by the same walk (directory volumes only:
   * an ext4 image is never written by the host).
   */
  removeDisk?(relPath: string): Promise<void>;
}

/** A directory is a directory volume; a regular file or block device is an ext4 image volume. */
export async function openVolume(location: string): Promise<Volume> {
  let info;
  try {
    info = await stat(location);
  } catch (err) {
    throw new BuilderError('INVALID_ARGUMENT', `volume ${location}: ${(err as Error).message}`, { cause: err });
  }
  if (info.isDirectory()) return openDirectoryVolume(location);
  if (info.isFile() || info.isBlockDevice()) return openExt4ImageVolume(location);
  throw new BuilderError('INVALID_ARGUMENT', `volume ${location} is neither a directory nor an image file`);
}
