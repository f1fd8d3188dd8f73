// The source volume the guest wrote its disk into, seen from the host: either a
// host directory (shared or already mounted) or an ext4 image file read in user
// space with debugfs. Both give back a checked, not yet read, disk source.
import { stat } from 'node:fs/promises';
import { BuilderError } from '../proto/errors.js';
import { openDirectoryVolume } from './volume-dir.js';
import { openExt4ImageVolume } from './volume-ext4.js';
import type { Volume } from './volume-types.js';

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
