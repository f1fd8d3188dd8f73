// dm-verity for a registered disk (opt-in): the engine's `veritysetup format`
// (layout: core/verity.ts) writes the hash tree into rootfs.<format>.verity next
// to the disk, under the entry's lock, and the parameters go into the entry's
// metadata (and the artifact's annotations when it is pushed).
import { chmod, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { formatVerity } from '../../agent/engine.js';
import { syncPath } from '../../core/sync-path.js';
import { verityFileName, type ImageMetadata } from '../metadata.js';
import { entryTempPath, updateReadyEntry, type ImageEntry, type ImageStore } from '../store.js';

/** Adds a hash tree to a ready entry that has none; an entry that has one is returned as it is. */
export async function addVerity(store: ImageStore, entry: ImageEntry, signal?: AbortSignal): Promise<ImageEntry> {
  if (entry.verity !== undefined) return entry;
  return updateReadyEntry(
    store,
    entry,
    async (current): Promise<ImageMetadata> => {
      const { tags: _tags, dir, diskPath, ...metadata } = current;
      if (metadata.verity !== undefined) return metadata;
      const hashFile = verityFileName(metadata.diskFile);
      const temp = entryTempPath(dir, hashFile);
      const verity = await formatVerity(diskPath, temp, metadata.sha256, signal);
      await chmod(temp, 0o644);
      await syncPath(temp);
      await rename(temp, join(dir, hashFile));
      await syncPath(dir);
      return { ...metadata, verity: { hashFile, ...verity } };
    },
    signal,
  );
}
