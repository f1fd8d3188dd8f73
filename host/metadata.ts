// metadata.json of an image store entry: its shape, building it from what was
// registered, and reading it back. An entry is ready only when its metadata
// says so AND its disk is a regular file of exactly the recorded size: readers
// never trust metadata alone.
import { lstat, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isSha256Digest } from '../core/digest.js';
import { DISK_FORMATS, type DiskFormat } from '../core/disk-format.js';
import type { ImageConfigJson } from '../core/image-config.js';
import type { IImageConfig } from '../proto/builder.js';
import { BuilderError } from '../proto/errors.js';

export const METADATA_FILE = 'metadata.json';
export const METADATA_SCHEMA_VERSION = 1;
const MAX_CONFIG_JSON_BYTES = 1024 * 1024;

export type ImageSource = 'agent' | 'host';

/** What a VM needs from the image config to run the image. */
export interface ImageRuntimeConfig {
  entrypoint?: string[];
  cmd?: string[];
  env?: string[];
  workingDir?: string;
  user?: string;
}

/** Why the fast path was not used (source "host"). */
export interface FallbackReason {
  code: string;
  message: string;
}

export interface ImageMetadata extends ImageRuntimeConfig {
  schemaVersion: number;
  /** The name as registered, canonical form. */
  name: string;
  /** The repository path the entry is filed under. */
  repository: string;
  manifestDigest: string;
  status: 'ready';
  format: DiskFormat;
  /** File name of the disk inside the entry directory. */
  diskFile: string;
  /** Of the stored disk (a multiple of 4096). */
  sizeBytes: number;
  sha256: string;
  source: ImageSource;
  fallbackReason?: FallbackReason;
  configDigest?: string;
  platform?: string;
  createdAt: string;
}

export function diskFileName(format: DiskFormat): string {
  return `rootfs.${format}`;
}

export function runtimeConfigFromProto(config: IImageConfig | null | undefined): ImageRuntimeConfig {
  if (!config) return {};
  return normalizeRuntimeConfig({
    entrypoint: config.entrypoint ?? undefined,
    cmd: config.cmd ?? undefined,
    env: config.env ?? undefined,
    workingDir: config.working_dir ?? undefined,
    user: config.user ?? undefined,
  });
}

export function runtimeConfigFromOci(config: ImageConfigJson | undefined): ImageRuntimeConfig {
  const c = config?.config;
  if (!c) return {};
  return normalizeRuntimeConfig({
    entrypoint: c.Entrypoint ?? undefined,
    cmd: c.Cmd ?? undefined,
    env: c.Env,
    workingDir: c.WorkingDir,
    user: c.User,
  });
}

/** Keeps only well-typed, non-empty fields; the config may come from the guest, so its size is capped. */
export function normalizeRuntimeConfig(config: ImageRuntimeConfig): ImageRuntimeConfig {
  const out: ImageRuntimeConfig = {};
  for (const key of ['entrypoint', 'cmd', 'env'] as const) {
    const value: unknown = config[key];
    if (value === undefined || value === null) continue;
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
      throw new BuilderError('INVALID_ARGUMENT', `image config ${key} is not a list of strings`);
    }
    if (value.length > 0) out[key] = [...value];
  }
  for (const key of ['workingDir', 'user'] as const) {
    const value: unknown = config[key];
    if (value === undefined || value === null || value === '') continue;
    if (typeof value !== 'string') throw new BuilderError('INVALID_ARGUMENT', `image config ${key} is not a string`);
    out[key] = value;
  }
  if (Buffer.byteLength(JSON.stringify(out)) > MAX_CONFIG_JSON_BYTES) {
    throw new BuilderError('INVALID_ARGUMENT', `image config is larger than ${MAX_CONFIG_JSON_BYTES} bytes`);
  }
  return out;
}

function isMetadata(value: unknown): value is ImageMetadata {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Partial<ImageMetadata>;
  return (
    m.status === 'ready' &&
    typeof m.name === 'string' &&
    typeof m.repository === 'string' &&
    typeof m.manifestDigest === 'string' &&
    isSha256Digest(m.manifestDigest) &&
    DISK_FORMATS.includes(m.format as DiskFormat) &&
    m.diskFile === diskFileName(m.format as DiskFormat) &&
    Number.isSafeInteger(m.sizeBytes) &&
    typeof m.sha256 === 'string' &&
    isSha256Digest(m.sha256) &&
    (m.source === 'agent' || m.source === 'host') &&
    typeof m.createdAt === 'string'
  );
}

/** The entry's metadata when the entry in `dir` is ready (see above), else undefined. */
export async function readReadyMetadata(dir: string): Promise<ImageMetadata | undefined> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(join(dir, METADATA_FILE), 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || err instanceof SyntaxError) return undefined;
    throw err;
  }
  if (!isMetadata(parsed)) return undefined;
  try {
    const disk = await lstat(join(dir, parsed.diskFile));
    return disk.isFile() && disk.size === parsed.sizeBytes ? parsed : undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
