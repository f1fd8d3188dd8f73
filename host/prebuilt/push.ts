// `builder-host push`: a registered disk goes to its image's own repository as
// an artifact attached to the image manifest (the engine's pushDiskArtifact), so
// that other hosts find it by the manifest digest instead of converting.
import { pushDiskArtifact, type DiskArtifactPushed, type RegistryOptions } from '../../agent/engine.js';
import { verityParameters } from '../../core/verity.js';
import { parseReference } from '../../core/reference.js';
import { BuilderError } from '../../proto/errors.js';
import type { ImageEntry } from '../store.js';

export type PushPrebuiltResult = DiskArtifactPushed;

export interface PushPrebuiltOptions {
  registry?: RegistryOptions;
  signal?: AbortSignal;
}

/** Pushes a ready entry's disk with what its metadata says about it (an entry from before those fields is refused: convert it again). */
export async function pushPrebuilt(entry: ImageEntry, options: PushPrebuiltOptions = {}): Promise<PushPrebuiltResult> {
  const { compression, erofsUtilsVersion, platform } = entry;
  if (compression === undefined || erofsUtilsVersion === undefined || platform === undefined) {
    const missing = Object.entries({ compression, erofsUtilsVersion, platform }).flatMap(([field, value]) => (value === undefined ? [field] : []));
    throw new BuilderError('INVALID_ARGUMENT', `${entry.name} (${entry.manifestDigest}) has no ${missing.join(', ')} in its metadata (an older builder-host registered it); convert it again to push it`);
  }
  const image = parseReference(`${entry.repository}@${entry.manifestDigest}`);
  return pushDiskArtifact({
    image: { ...image, digest: entry.manifestDigest },
    platform,
    ...(entry.configDigest !== undefined && { configDigest: entry.configDigest }),
    disk: { path: entry.diskPath, digest: entry.sha256, size: entry.sizeBytes },
    facts: { format: entry.format, compression, erofsUtilsVersion, ...(entry.verity !== undefined && { verity: verityParameters(entry.verity) }) },
    ...(options.registry !== undefined && { registry: options.registry }),
    ...(options.signal !== undefined && { signal: options.signal }),
  });
}
