// metadata.json of an image store entry: its shape, building it from what was
// registered, and reading it back. An entry is ready only when its metadata
// says so AND its disk is a regular file of exactly the recorded size: readers
// never trust metadata alone.
import { lstat, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isSha256Digest } from '../core/digest.js';
import { DISK_FORMATS, type DiskFormat } from '../core/disk-format.js';
import type { VerityParameters } from '../core/verity.js';
import type { ImageConfigJson } from '../core/image-config.js';
import type { IImageConfig } from '../proto/builder.js';
import { BuilderError } from '../proto/errors.js';

export const METADATA_FILE = 'metadata.json';
export const METADATA_SCHEMA_VERSION = 1;
const MAX_CONFIG_JSON_BYTES = 1024 * 1024;

/** Who made the disk: the builder VM's agent, the host's own conversion, or another host (pulled from the registry). */
export type ImageSource = 'agent' | 'host' | 'registry';
const IMAGE_SOURCES: readonly ImageSource[] = ['agent', 'host', 'registry'];

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

/** Where a disk pulled from the registry came from (source "registry"). */
export interface PulledFrom {
  /** registry/repository the artifact was found in. */
  repository: string;
  artifactDigest: string;
  /** The disk blob; equals the entry's sha256 (the disk is stored as pulled). */
  blobDigest: string;
  /** How it was found: the registry's referrers API, or the referrers tag schema. */
  foundBy: 'referrers-api' | 'tag-schema';
}

/** A prebuilt disk that was not used, and why (the host converted instead). */
export interface PrebuiltRefusal {
  /** Unset when the lookup itself failed (no artifact was examined). */
  artifactDigest?: string;
  code: string;
  message: string;
}

/** dm-verity data of the disk: a hash tree in its own file of the entry (core/verity.ts has the layout, docs/fleet.md what a VMM does with it). */
export interface VerityMetadata extends VerityParameters {
  /** File name of the hash device in the entry directory. */
  hashFile: string;
  hashFileSizeBytes: number;
  veritysetupVersion: string;
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
  /** As the conversion reported it (lz4, lz4hc,9, none); what a pull matches an artifact by. */
  compression?: string;
  /** The mkfs tool version that built the disk. */
  erofsUtilsVersion?: string;
  /** Set for source "registry". */
  pulledFrom?: PulledFrom;
  /** Prebuilt disks found for the digest and not used, or a failed lookup; the disk was converted instead. */
  prebuiltRefused?: PrebuiltRefusal[];
  verity?: VerityMetadata;
  createdAt: string;
}

export function diskFileName(format: DiskFormat): string {
  return `rootfs.${format}`;
}

/** The dm-verity hash device next to a disk. */
export function verityFileName(diskFile: string): string {
  return `${diskFile}.verity`;
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
    IMAGE_SOURCES.includes(m.source as ImageSource) &&
    (m.verity === undefined || (m.verity.hashFile === verityFileName(m.diskFile) && Number.isSafeInteger(m.verity.hashFileSizeBytes))) &&
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
  const disk = await regularFileSize(join(dir, parsed.diskFile));
  if (disk !== parsed.sizeBytes) return undefined;
  if (parsed.verity !== undefined && (await regularFileSize(join(dir, parsed.verity.hashFile))) !== parsed.verity.hashFileSizeBytes) return undefined;
  return parsed;
}

/** The size of a regular file; undefined when there is none (or something else) at `path`. */
async function regularFileSize(path: string): Promise<number | undefined> {
  try {
    const info = await lstat(path);
    return info.isFile() ? info.size : undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
