// Parsing and validating manifests, indexes and image configs. Everything
// read from a registry is untrusted: shapes are checked here, once, so the
// rest of the code can rely on them.
import { BuilderError } from '../../proto/errors.js';
import { isSchema1, manifestKind, OCI_INDEX, OCI_MANIFEST, type ManifestKind } from './mediatypes.js';
import { isSha256Digest } from '../../core/digest.js';
import { type ImageConfigJson } from '../../core/image-config.js';
import { type Platform } from '../../core/platform.js';

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  /** Only on index entries, and optional there. */
  platform?: Platform;
  /** Image-spec 1.1: on index entries (referrers lists) and artifact layers; optional. */
  artifactType?: string;
  annotations?: Record<string, string>;
}

/** The image-spec 1.1 fields an artifact manifest adds; all optional. */
export interface ArtifactFields {
  artifactType?: string;
  /** The manifest this one refers to (the referrers API lists it under that digest). */
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

export interface ImageManifest extends ArtifactFields {
  kind: 'manifest';
  mediaType: string;
  config: Descriptor;
  layers: Descriptor[];
}

export interface ImageIndex extends Omit<ArtifactFields, 'artifactType'> {
  kind: 'index';
  mediaType: string;
  manifests: Descriptor[];
}

// Content-Types that say nothing about the manifest: the body's mediaType (or its shape) decides.
const GENERIC_CONTENT_TYPES = new Set(['', 'application/json', 'application/octet-stream', 'binary/octet-stream', 'text/plain']);

type Json = Record<string, unknown>;

function invalid(label: string, why: string): BuilderError {
  return new BuilderError('MANIFEST_INVALID', `${label}: ${why}`);
}

function parseJsonObject(bytes: Buffer, label: string): Json {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw invalid(label, `not valid JSON (${(err as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(label, 'not a JSON object');
  return value as Json;
}

/** Decides what the bytes are: the Content-Type when it names a manifest type, else the body's mediaType, else its shape. */
function manifestMediaType(body: Json, contentType: string | undefined, label: string): { mediaType: string; kind: ManifestKind } {
  const header = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const declared = body.mediaType;
  if (declared !== undefined && typeof declared !== 'string') throw invalid(label, '"mediaType" is not a string');
  for (const type of [header, declared]) {
    if (type !== undefined && isSchema1(type)) throw new BuilderError('UNSUPPORTED_MEDIA_TYPE', `${label}: Docker schema 1 manifests (${type}) are not supported`);
  }
  if (!GENERIC_CONTENT_TYPES.has(header)) {
    const kind = manifestKind(header);
    if (kind === undefined) throw new BuilderError('UNSUPPORTED_MEDIA_TYPE', `${label} has unsupported media type ${JSON.stringify(header)}`);
    if (declared !== undefined && declared !== header) {
      throw invalid(label, `served as ${header} but its mediaType says ${declared}`);
    }
    return { mediaType: header, kind };
  }
  if (declared !== undefined) {
    const kind = manifestKind(declared);
    if (kind === undefined) throw new BuilderError('UNSUPPORTED_MEDIA_TYPE', `${label} has unsupported media type ${JSON.stringify(declared)}`);
    return { mediaType: declared, kind };
  }
  // OCI lets mediaType be absent; without a Content-Type either, the shape is all there is.
  if (Array.isArray(body.manifests)) return { mediaType: OCI_INDEX, kind: 'index' };
  if (body.config !== undefined && Array.isArray(body.layers)) return { mediaType: OCI_MANIFEST, kind: 'manifest' };
  throw invalid(label, 'neither a manifest nor an index (no mediaType, no config/layers, no manifests)');
}

export function parseManifest(bytes: Buffer, contentType: string | undefined, label: string): ImageManifest | ImageIndex {
  const body = parseJsonObject(bytes, label);
  if (body.schemaVersion === 1) throw new BuilderError('UNSUPPORTED_MEDIA_TYPE', `${label}: Docker schema 1 manifests are not supported`);
  if (body.schemaVersion !== 2) throw invalid(label, `schemaVersion is ${JSON.stringify(body.schemaVersion)}, expected 2`);
  const { mediaType, kind } = manifestMediaType(body, contentType, label);
  if (kind === 'index') {
    if (!Array.isArray(body.manifests)) throw invalid(label, `an index (${mediaType}) without a "manifests" array`);
    if (body.config !== undefined || body.layers !== undefined) throw invalid(label, 'an index must not have "config" or "layers"');
    return {
      kind,
      mediaType,
      manifests: body.manifests.map((entry, i) => parseDescriptor(entry, `${label}, manifests[${i}]`, true)),
      ...artifactFields(body, label),
    };
  }
  if (!Array.isArray(body.layers)) throw invalid(label, `a manifest (${mediaType}) without a "layers" array`);
  if (body.manifests !== undefined) throw invalid(label, 'an image manifest must not have "manifests"');
  return {
    kind,
    mediaType,
    config: parseDescriptor(body.config, `${label}, config`, false),
    layers: body.layers.map((layer, i) => parseDescriptor(layer, `${label}, layers[${i}]`, false)),
    ...artifactFields(body, label),
    ...(body.artifactType !== undefined && { artifactType: stringField(body.artifactType, label, 'artifactType') }),
  };
}

function artifactFields(body: Json, label: string): Omit<ArtifactFields, 'artifactType'> {
  return {
    ...(body.subject !== undefined && { subject: parseDescriptor(body.subject, `${label}, subject`, false) }),
    ...(body.annotations !== undefined && { annotations: parseAnnotations(body.annotations, `${label}, annotations`) }),
  };
}

function stringField(value: unknown, label: string, name: string): string {
  if (typeof value !== 'string') throw invalid(label, `"${name}" is not a string`);
  return value;
}

function parseAnnotations(value: unknown, label: string): Record<string, string> {
  if (!isStringRecord(value)) throw invalid(label, 'not a map of strings');
  return { ...(value as Record<string, string>) };
}

function parseDescriptor(value: unknown, label: string, withPlatform: boolean): Descriptor {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(label, 'descriptor is not an object');
  const { mediaType, digest, size, platform, artifactType, annotations } = value as Json;
  if (typeof mediaType !== 'string' || mediaType === '') throw invalid(label, 'descriptor has no mediaType');
  if (typeof digest !== 'string' || !isSha256Digest(digest)) {
    throw invalid(label, `descriptor digest ${JSON.stringify(digest)} is not sha256: followed by 64 lowercase hex digits`);
  }
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) throw invalid(label, `descriptor size ${JSON.stringify(size)} is not a byte count`);
  const descriptor: Descriptor = { mediaType, digest, size };
  if (withPlatform && platform !== undefined) descriptor.platform = parsePlatformObject(platform, label);
  if (artifactType !== undefined) descriptor.artifactType = stringField(artifactType, label, 'artifactType');
  if (annotations !== undefined) descriptor.annotations = parseAnnotations(annotations, `${label}, annotations`);
  return descriptor;
}

function parsePlatformObject(value: unknown, label: string): Platform {
  if (typeof value !== 'object' || value === null) throw invalid(label, 'platform is not an object');
  const { os, architecture, variant } = value as Json;
  if (typeof os !== 'string' || typeof architecture !== 'string') throw invalid(label, 'platform needs string os and architecture');
  if (variant !== undefined && typeof variant !== 'string') throw invalid(label, 'platform variant is not a string');
  return { os, architecture, ...(variant !== undefined && variant !== '' && { variant }) };
}

const isStringArray = (v: unknown): boolean => Array.isArray(v) && v.every((item) => typeof item === 'string');
const isStringRecord = (v: unknown): boolean =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((item) => typeof item === 'string');
const isObjectRecord = (v: unknown): boolean =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((item) => typeof item === 'object' && item !== null);

const RUNTIME_FIELDS: Record<string, (v: unknown) => boolean> = {
  User: (v) => typeof v === 'string',
  WorkingDir: (v) => typeof v === 'string',
  Env: isStringArray,
  Entrypoint: (v) => v === null || isStringArray(v),
  Cmd: (v) => v === null || isStringArray(v),
  ExposedPorts: (v) => v === null || isObjectRecord(v),
  Labels: (v) => v === null || isStringRecord(v),
};

/** Parses an image config and checks the parts this project uses: rootfs.diff_ids and the runtime fields. */
export function parseImageConfig(bytes: Buffer, label: string): ImageConfigJson {
  const body = parseJsonObject(bytes, label);
  for (const field of ['os', 'architecture', 'variant', 'created'] as const) {
    if (body[field] !== undefined && typeof body[field] !== 'string') throw invalid(label, `"${field}" is not a string`);
  }
  const rootfs = body.rootfs as Json | undefined;
  if (typeof rootfs !== 'object' || rootfs === null) throw invalid(label, 'no "rootfs" object');
  if (rootfs.type !== 'layers') throw invalid(label, `rootfs.type is ${JSON.stringify(rootfs.type)}, expected "layers"`);
  if (!Array.isArray(rootfs.diff_ids)) throw invalid(label, 'rootfs.diff_ids is not an array');
  rootfs.diff_ids.forEach((diffId, i) => {
    if (typeof diffId !== 'string' || !isSha256Digest(diffId)) throw invalid(label, `rootfs.diff_ids[${i}] ${JSON.stringify(diffId)} is not a sha256 digest`);
  });
  const runtime = body.config;
  if (runtime === null) delete body.config;
  if (runtime !== undefined && runtime !== null) {
    if (typeof runtime !== 'object' || Array.isArray(runtime)) throw invalid(label, '"config" is not an object');
    for (const [field, valid] of Object.entries(RUNTIME_FIELDS)) {
      const value = (runtime as Json)[field];
      if (value !== undefined && !valid(value)) throw invalid(label, `config.${field} has the wrong type`);
    }
  }
  return body;
}
