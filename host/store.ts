// The host's image store (ARCHITECTURE.md, "Image store"):
//   STORE/images/<repo path>/<manifest-digest-hex>/rootfs.<format>  (4096-aligned)
//   STORE/images/<repo path>/<manifest-digest-hex>/metadata.json
//   STORE/images/<repo path>/tags/<tag> -> ../<manifest-digest-hex>
// Registration copies under a temp name in the entry directory, fsyncs, renames
// the disk into place, and writes metadata.json (status "ready") last, so a
// ready metadata.json only ever stands next to its complete disk. One flock per
// entry serialises writers across processes; a ready entry makes a second
// registration a no-op without a byte copied.
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, open, readdir, readlink, rename, rm, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { SHA256_HEX, SHA256_HEX_PATTERN } from '../core/digest.js';
import type { ImageReference } from '../core/reference.js';
import { asBuilderError, BuilderError } from '../proto/errors.js';
import { copyVerifiedDisk, type DiskSource } from './diskcopy.js';
import { lockFile } from './lock.js';
import { storeName, TAGS_DIR } from './store-name.js';
import {
  diskFileName,
  METADATA_FILE,
  METADATA_SCHEMA_VERSION,
  normalizeRuntimeConfig,
  readReadyMetadata,
  type FallbackReason,
  type ImageMetadata,
  type ImageRuntimeConfig,
  type ImageSource,
  type PrebuiltRefusal,
  type PulledFrom,
} from './metadata.js';
import { type DiskClaims } from './validate.js';
import { syncPath } from '../core/sync-path.js';
import type { DiskFormat } from '../core/disk-format.js';

export interface ImageStore {
  readonly root: string;
  readonly imagesDir: string;
}

export interface ImageEntry extends ImageMetadata {
  /** Tags of the repository that point at this entry. */
  tags: string[];
  dir: string;
  diskPath: string;
}

export interface RegisterImageRequest {
  /** What the image is filed under (store-name.ts): its repository, and a tag pointed at the entry. */
  reference: ImageReference;
  manifestDigest: string;
  format?: DiskFormat;
  source: ImageSource;
  config?: ImageRuntimeConfig;
  configDigest?: string;
  platform?: string;
  fallbackReason?: FallbackReason;
  compression?: string;
  erofsUtilsVersion?: string;
  pulledFrom?: PulledFrom;
  prebuiltRefused?: PrebuiltRefusal[];
  /** Read at most once; always closed by registerPrebuiltImage, also when nothing is copied. */
  disk: DiskSource;
  /** The size and sha256 the disk must have (e.g. the agent's Result); checked while copying. */
  expected?: DiskClaims;
  sizeLimit?: number;
  signal?: AbortSignal;
}

export interface RegisterImageResult {
  entry: ImageEntry;
  /** True when the digest was already ready: nothing was copied. */
  alreadyPresent: boolean;
}

const TEMP_PREFIX = '.tmp-';
const LOCK_FILE = '.lock';
const TAG_TEMP = new RegExp(`^\\.tmp-(${SHA256_HEX_PATTERN})-`);
const TAG_TARGET = new RegExp(`^\\.\\./(${SHA256_HEX_PATTERN})$`);

/** Opens (creating) a store and removes temp files that crashed registrations left behind. */
export async function openStore(root: string): Promise<ImageStore> {
  const store = { root, imagesDir: join(root, 'images') };
  try {
    await mkdir(store.imagesDir, { recursive: true });
    for await (const place of walkStore(store.imagesDir, '')) {
      if (place.kind === 'entry') await cleanEntryTemps(place.dir);
      else await cleanTagTemps(place.dir);
    }
  } catch (err) {
    throw asBuilderError(err, 'STORE_ERROR');
  }
  return store;
}

export async function registerPrebuiltImage(store: ImageStore, request: RegisterImageRequest): Promise<RegisterImageResult> {
  try {
    const name = storeName(request.reference, request.manifestDigest);
    const { digestHex } = name;
    const format = request.format ?? 'erofs';
    const metadataBase = {
      name: name.text,
      repository: name.repoPath,
      manifestDigest: request.manifestDigest,
      format,
      source: request.source,
      ...normalizeRuntimeConfig(request.config ?? {}),
      ...(request.fallbackReason ? { fallbackReason: { code: request.fallbackReason.code, message: request.fallbackReason.message } } : {}),
      ...(request.configDigest ? { configDigest: request.configDigest } : {}),
      ...(request.platform ? { platform: request.platform } : {}),
      ...(request.compression ? { compression: request.compression } : {}),
      ...(request.erofsUtilsVersion ? { erofsUtilsVersion: request.erofsUtilsVersion } : {}),
      ...(request.pulledFrom ? { pulledFrom: request.pulledFrom } : {}),
      ...(request.prebuiltRefused?.length ? { prebuiltRefused: request.prebuiltRefused } : {}),
    };
    const repoDir = join(store.imagesDir, name.repoPath);
    const dir = join(repoDir, digestHex);
    await mkdir(dir, { recursive: true });

    let metadata = await readReadyMetadata(dir);
    let alreadyPresent = true;
    // Tag temp files are made under the entry's lock too, so that cleaning knows when they are dead.
    if (!metadata || name.tag !== undefined) {
      const lock = (await lockFile(join(dir, LOCK_FILE), { wait: true, signal: request.signal }))!;
      try {
        metadata = await readReadyMetadata(dir);
        if (!metadata) {
          metadata = await writeEntry(dir, request, { ...metadataBase, diskFile: diskFileName(format) });
          alreadyPresent = false;
        }
        if (name.tag !== undefined) await pointTag(repoDir, name.tag, digestHex);
      } finally {
        await lock.release();
      }
    }
    return { entry: await toEntry(dir, metadata), alreadyPresent };
  } catch (err) {
    const error = asBuilderError(err, 'STORE_ERROR');
    if (error.code === 'NO_SPACE') throw new BuilderError('NO_SPACE', `store ${store.root}: ${error.message}; nothing of this registration was kept`, { cause: error });
    throw error;
  } finally {
    await request.disk.close?.();
  }
}

/**
 * The ready entry of `manifestDigest` in the repository of `name`, or undefined:
 * the cheap check that lets a caller skip a conversion altogether.
 */
export async function findReadyImage(store: ImageStore, reference: ImageReference, manifestDigest: string): Promise<ImageEntry | undefined> {
  const { repoPath, digestHex } = storeName(reference, manifestDigest);
  const dir = join(store.imagesDir, repoPath, digestHex);
  try {
    const metadata = await readReadyMetadata(dir);
    return metadata ? await toEntry(dir, metadata) : undefined;
  } catch (err) {
    throw asBuilderError(err, 'STORE_ERROR');
  }
}

/**
 * The ready entry a reference names in the store: by its digest, or else by the
 * tag the store points at an entry (a reference without either names none).
 */
export async function findStoredImage(store: ImageStore, reference: ImageReference): Promise<ImageEntry | undefined> {
  if (reference.digest !== undefined) return findReadyImage(store, reference, reference.digest);
  if (reference.tag === undefined) return undefined;
  const { repoPath } = storeName({ registry: reference.registry, repository: reference.repository }, `sha256:${'0'.repeat(64)}`);
  try {
    const target = await readlink(join(store.imagesDir, repoPath, TAGS_DIR, reference.tag)).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined;
      throw err;
    });
    const hex = target === undefined ? undefined : TAG_TARGET.exec(target)?.[1];
    if (hex === undefined) return undefined;
    const dir = join(store.imagesDir, repoPath, hex);
    const metadata = await readReadyMetadata(dir);
    return metadata ? await toEntry(dir, metadata) : undefined;
  } catch (err) {
    throw asBuilderError(err, 'STORE_ERROR');
  }
}

/**
 * Changes a ready entry under its lock: `update` gets the entry as it is now
 * (re-read under the lock) and returns its new metadata, having written any
 * file that metadata names (under a temp name, renamed into place); the
 * metadata is then replaced atomically. NOT_FOUND when the entry is not ready.
 */
export async function updateReadyEntry(
  store: ImageStore,
  entry: ImageEntry,
  update: (current: ImageEntry) => Promise<ImageMetadata>,
  signal?: AbortSignal,
): Promise<ImageEntry> {
  try {
    const lock = (await lockFile(join(entry.dir, LOCK_FILE), { wait: true, signal }))!;
    try {
      const metadata = await readReadyMetadata(entry.dir);
      if (!metadata) throw new BuilderError('NOT_FOUND', `${entry.name} (${entry.manifestDigest}) is no longer ready in ${store.root}`);
      const updated = await update(await toEntry(entry.dir, metadata));
      await writeFileAtomically(entry.dir, METADATA_FILE, JSON.stringify(updated, null, 2) + '\n');
      return await toEntry(entry.dir, updated);
    } finally {
      await lock.release();
    }
  } catch (err) {
    throw asBuilderError(err, 'STORE_ERROR');
  }
}

/** A temp name in an entry directory, for a file renamed into place when complete (removed by openStore when left behind). */
export function entryTempPath(dir: string, name: string): string {
  return join(dir, `${TEMP_PREFIX}${randomBytes(8).toString('hex')}.${name}`);
}

type MetadataBase = Omit<ImageMetadata, 'schemaVersion' | 'status' | 'sizeBytes' | 'sha256' | 'createdAt'>;

/**
 * Under the entry's lock, with no ready metadata: copy, then disk into place, then
 * metadata.json last. A failure before metadata.json is in place removes what this call
 * wrote, so a full store is not left holding a disk nobody can use.
 */
async function writeEntry(dir: string, request: RegisterImageRequest, base: MetadataBase): Promise<ImageMetadata> {
  // A metadata.json that is not ready (garbled, or its disk damaged) goes first,
  // so that no moment has it next to the new disk.
  await rm(join(dir, METADATA_FILE), { force: true });
  // Then whatever else an earlier registration that failed or was killed left here (its
  // disk, verity file, temp files; nobody else writes without the lock we hold): its space
  // is needed for this copy.
  await removeOrphans(dir);
  await syncPath(dir);

  let committed = false;
  try {
    const tempDisk = entryTempPath(dir, base.diskFile);
    const file = await open(tempDisk, 'wx', 0o644);
    let copied;
    try {
      copied = await copyVerifiedDisk(request.disk, file, {
        format: base.format,
        claims: request.expected,
        sizeLimit: request.sizeLimit,
        signal: request.signal,
      });
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(tempDisk, join(dir, base.diskFile));
    await syncPath(dir);

    const metadata: ImageMetadata = {
      schemaVersion: METADATA_SCHEMA_VERSION,
      ...base,
      status: 'ready',
      sizeBytes: copied.sizeBytes,
      sha256: copied.sha256,
      createdAt: new Date().toISOString(),
    };
    await writeFileAtomically(dir, METADATA_FILE, JSON.stringify(metadata, null, 2) + '\n', () => (committed = true));
    await syncPath(dirname(dir));
    return metadata;
  } catch (err) {
    if (!committed) await removeOrphans(dir).catch(() => undefined); // the original error is the one to report
    throw err;
  }
}

/** Everything in an entry directory but its lock file. Only under the entry's lock, with no ready metadata.json. */
async function removeOrphans(dir: string): Promise<void> {
  for (const name of await readdir(dir)) {
    if (name !== LOCK_FILE) await rm(join(dir, name), { recursive: true, force: true });
  }
}

/** Writes under a temp name (removed again on failure), fsyncs, renames into place; `onRenamed` runs right after the rename. */
async function writeFileAtomically(dir: string, name: string, text: string, onRenamed?: () => void): Promise<void> {
  const temp = entryTempPath(dir, name);
  try {
    const file = await open(temp, 'wx', 0o644);
    try {
      await file.writeFile(text);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, join(dir, name));
  } catch (err) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw err;
  }
  onRenamed?.();
  await syncPath(dir);
}

/** Under the entry's lock; the temp name carries the entry's digest so cleaning can take that lock. */
async function pointTag(repoDir: string, tag: string, digestHex: string): Promise<void> {
  const tagsDir = join(repoDir, TAGS_DIR);
  await mkdir(tagsDir, { recursive: true });
  const temp = join(tagsDir, `${TEMP_PREFIX}${digestHex}-${randomBytes(8).toString('hex')}`);
  await symlink(`../${digestHex}`, temp);
  await rename(temp, join(tagsDir, tag));
  await syncPath(tagsDir);
}

async function toEntry(dir: string, metadata: ImageMetadata): Promise<ImageEntry> {
  const digestHex = dir.slice(-64);
  const tags = (await readTags(join(dirname(dir), TAGS_DIR))).get(digestHex) ?? [];
  return { ...metadata, tags, dir, diskPath: join(dir, metadata.diskFile) };
}

/** tag -> entry, as digest hex -> tags. */
async function readTags(tagsDir: string): Promise<Map<string, string[]>> {
  const byDigest = new Map<string, string[]>();
  let names: string[];
  try {
    names = await readdir(tagsDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return byDigest;
    throw err;
  }
  for (const tag of names.sort()) {
    if (tag.startsWith(TEMP_PREFIX)) continue;
    const target = await readlink(join(tagsDir, tag)).catch(() => '');
    const hex = TAG_TARGET.exec(target)?.[1];
    if (hex) byDigest.set(hex, [...(byDigest.get(hex) ?? []), tag]);
  }
  return byDigest;
}

/** Every ready image in the store; entries still being written or damaged are left out. */
export async function listImages(store: ImageStore): Promise<ImageEntry[]> {
  const entries: ImageEntry[] = [];
  try {
    for await (const place of walkStore(store.imagesDir, '')) {
      if (place.kind !== 'entry') continue;
      const metadata = await readReadyMetadata(place.dir);
      if (metadata) entries.push(await toEntry(place.dir, metadata));
    }
  } catch (err) {
    throw asBuilderError(err, 'STORE_ERROR');
  }
  return entries.sort((a, b) => a.repository.localeCompare(b.repository) || a.createdAt.localeCompare(b.createdAt));
}

interface StorePlace {
  kind: 'entry' | 'tags';
  dir: string;
  repoPath: string;
}

/** Entry and tag directories below `dir`; never follows symlinks. */
async function* walkStore(dir: string, repoPath: string): AsyncGenerator<StorePlace> {
  for (const child of await readdir(dir, { withFileTypes: true })) {
    if (!child.isDirectory()) continue;
    const path = join(dir, child.name);
    if (repoPath !== '' && SHA256_HEX.test(child.name)) yield { kind: 'entry', dir: path, repoPath };
    else if (repoPath !== '' && child.name === TAGS_DIR) yield { kind: 'tags', dir: path, repoPath };
    else yield* walkStore(path, repoPath === '' ? child.name : `${repoPath}/${child.name}`);
  }
}

/** Temp files of an entry belong to whoever holds its lock; when nobody does, they are leftovers. */
async function cleanEntryTemps(dir: string): Promise<void> {
  const temps = (await readdir(dir)).filter((name) => name.startsWith(TEMP_PREFIX));
  await removeUnlessLocked(dir, temps.map((name) => join(dir, name)));
}

/** Temp tag symlinks are made under their entry's lock, whose digest their name carries. */
async function cleanTagTemps(dir: string): Promise<void> {
  const byEntry = new Map<string, string[]>();
  for (const name of await readdir(dir)) {
    const hex = TAG_TEMP.exec(name)?.[1];
    if (hex) byEntry.set(hex, [...(byEntry.get(hex) ?? []), join(dir, name)]);
  }
  for (const [hex, temps] of byEntry) await removeUnlessLocked(join(dirname(dir), hex), temps);
}

/** Removes `paths` when the lock of the entry in `entryDir` is free (no entry: nobody can hold it). */
async function removeUnlessLocked(entryDir: string, paths: string[]): Promise<void> {
  if (paths.length === 0) return;
  const exists = await lstat(entryDir).then(
    () => true,
    () => false,
  );
  const lock = exists ? await lockFile(join(entryDir, LOCK_FILE), { wait: false }) : { release: () => Promise.resolve() };
  if (!lock) return;
  try {
    for (const path of paths) await rm(path, { force: true });
  } finally {
    await lock.release();
  }
}
