// What a source volume offers, whichever way it is read (volume-dir.ts,
// volume-ext4.ts); volume.ts picks the reader.
import type { DiskFile } from './diskcopy.js';

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
