// The converted disk as an OCI artifact (image-spec 1.1 manifest.md,
// "Guidelines for Artifact Usage", case 2: blobs without a config): an image
// manifest with our artifactType, the empty descriptor as its config, the disk
// as its one layer, the source manifest as its subject, and what a reader needs
// to choose it (format, compression, ...) as annotations. Building it and
// reading one back; a manifest read from a registry is checked here before
// anything of it is believed.
import { sha256Digest } from '../../core/digest.js';
import { DISK_FORMATS, type DiskFormat } from '../../core/disk-format.js';
import { VERITY_PARAMETER_KEYS, type VerityParameters } from '../../core/verity.js';
import { BuilderError } from '../../proto/errors.js';
import { parseManifest, type Descriptor, type ImageManifest } from '../oci/manifest.js';
import { OCI_MANIFEST } from '../oci/mediatypes.js';

export const DISK_ARTIFACT_TYPE = 'application/vnd.erofs-builder.disk.v1';
export const DISK_MEDIA_TYPES: Readonly<Record<DiskFormat, string>> = {
  erofs: 'application/vnd.erofs-builder.disk.erofs.v1',
  ext4: 'application/vnd.erofs-builder.disk.ext4.v1',
};

/** image-spec 1.1 "Guidance for an Empty Descriptor": the blob `{}`. */
export const EMPTY_JSON = Buffer.from('{}');
export const EMPTY_DESCRIPTOR: Descriptor = {
  mediaType: 'application/vnd.oci.empty.v1+json',
  digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
  size: 2,
};

const PREFIX = 'dev.erofs-builder';
export const ANNOTATIONS = {
  format: `${PREFIX}.format`,
  compression: `${PREFIX}.compression`,
  platform: `${PREFIX}.platform`,
  erofsUtilsVersion: `${PREFIX}.erofs-utils.version`,
  treeDigest: `${PREFIX}.tree.digest`,
} as const;

/** The dm-verity parameters travel as `dev.erofs-builder.verity.<kebab-case name>`; the counts as decimal text. */
const verityAnnotation = (key: string): string => `${PREFIX}.verity.${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
const VERITY_TEXT_KEYS: ReadonlySet<string> = new Set(['rootHash', 'salt', 'hashAlgorithm']);

/** What the annotations say about the disk. */
export interface DiskFacts {
  format: DiskFormat;
  /** As the conversion wrote it: `lz4`, `lz4hc,9`, `none`. */
  compression: string;
  /** os/arch[/variant]. */
  platform: string;
  /** The mkfs.erofs that built it (e2fsprogs' for ext4). */
  erofsUtilsVersion: string;
  /** The OCI ChainID of the image's layers: the identity of the unpacked tree the disk holds. */
  treeDigest: string;
  verity?: VerityParameters;
}

export interface BuiltArtifact {
  bytes: Buffer;
  digest: string;
  mediaType: typeof OCI_MANIFEST;
  /** Its descriptor for a referrers index: artifactType and annotations copied from the manifest, as the spec asks. */
  descriptor: Descriptor;
}

/** The artifact manifest for `disk` (its digest and size), attached to `subject`. */
export function buildDiskArtifact(subject: Descriptor, disk: { digest: string; size: number }, facts: DiskFacts): BuiltArtifact {
  const annotations = factsToAnnotations(facts);
  const manifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    artifactType: DISK_ARTIFACT_TYPE,
    config: EMPTY_DESCRIPTOR,
    layers: [{ mediaType: DISK_MEDIA_TYPES[facts.format], digest: disk.digest, size: disk.size }],
    subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
    annotations,
  };
  const bytes = Buffer.from(JSON.stringify(manifest));
  const digest = sha256Digest(bytes);
  return {
    bytes,
    digest,
    mediaType: OCI_MANIFEST,
    descriptor: { mediaType: OCI_MANIFEST, digest, size: bytes.length, artifactType: DISK_ARTIFACT_TYPE, annotations },
  };
}

/** The tree digest: OCI ChainID over the diff_ids (image-spec config.md); an image without layers has the digest of nothing. */
export function treeDigest(diffIds: readonly string[]): string {
  let chain: string | undefined;
  for (const diffId of diffIds) chain = chain === undefined ? diffId : sha256Digest(Buffer.from(`${chain} ${diffId}`));
  return chain ?? sha256Digest(Buffer.alloc(0));
}

export interface ArtifactExpectation {
  /** The manifest digest the disk must be attached to. */
  subject: string;
  format: DiskFormat;
  compression: string;
  treeDigest: string;
}

export interface DiskArtifact {
  /** The disk blob. */
  disk: { digest: string; size: number };
  facts: DiskFacts;
}

/**
 * Reads an artifact manifest fetched by `digest` and checks it is one of ours
 * for what is expected. Every mismatch is MANIFEST_INVALID naming the field;
 * the bytes must hash to `digest` (DIGEST_MISMATCH).
 */
export function readDiskArtifact(bytes: Buffer, contentType: string | undefined, digest: string, expected: ArtifactExpectation): DiskArtifact {
  const label = `artifact ${digest}`;
  const actual = sha256Digest(bytes);
  if (actual !== digest) throw new BuilderError('DIGEST_MISMATCH', `${label}: the registry served bytes hashing to ${actual}`);
  const parsed = parseManifest(bytes, contentType, label);
  if (parsed.kind !== 'manifest' || parsed.mediaType !== OCI_MANIFEST) throw invalid(label, `is a ${parsed.mediaType}, not an OCI image manifest`);
  const manifest: ImageManifest = parsed;
  if (manifest.artifactType !== DISK_ARTIFACT_TYPE) throw invalid(label, `artifactType is ${JSON.stringify(manifest.artifactType)}, not ${DISK_ARTIFACT_TYPE}`);
  if (manifest.subject?.digest !== expected.subject) throw invalid(label, `its subject is ${manifest.subject?.digest ?? 'missing'}, not ${expected.subject}`);
  if (manifest.layers.length !== 1) throw invalid(label, `has ${manifest.layers.length} layers, not the one disk`);
  const layer = manifest.layers[0] as Descriptor;
  const facts = annotationsToFacts(manifest.annotations ?? {}, label);
  if (layer.mediaType !== DISK_MEDIA_TYPES[facts.format]) throw invalid(label, `its layer is a ${layer.mediaType}, not a ${facts.format} disk`);
  for (const field of ['format', 'compression', 'treeDigest'] as const) {
    if (facts[field] !== expected[field]) throw invalid(label, `${field} is ${JSON.stringify(facts[field])}, wanted ${JSON.stringify(expected[field])}`);
  }
  return { disk: { digest: layer.digest, size: layer.size }, facts };
}

/** Whether a referrers-list entry says it is a disk of this format and compression (the manifest itself is checked after fetching). */
export function listedAs(descriptor: Descriptor, format: DiskFormat, compression: string): boolean {
  const annotations = descriptor.annotations ?? {};
  return descriptor.artifactType === DISK_ARTIFACT_TYPE && annotations[ANNOTATIONS.format] === format && annotations[ANNOTATIONS.compression] === compression;
}

function factsToAnnotations(facts: DiskFacts): Record<string, string> {
  const annotations: Record<string, string> = {
    [ANNOTATIONS.format]: facts.format,
    [ANNOTATIONS.compression]: facts.compression,
    [ANNOTATIONS.platform]: facts.platform,
    [ANNOTATIONS.erofsUtilsVersion]: facts.erofsUtilsVersion,
    [ANNOTATIONS.treeDigest]: facts.treeDigest,
  };
  const verity = facts.verity;
  if (verity !== undefined) for (const key of VERITY_PARAMETER_KEYS) annotations[verityAnnotation(key)] = String(verity[key]);
  return annotations;
}

function annotationsToFacts(annotations: Record<string, string>, label: string): DiskFacts {
  const text = (key: string): string => {
    const value = annotations[key];
    if (value === undefined || value === '') throw invalid(label, `annotation ${key} is missing`);
    return value;
  };
  const count = (key: string): number => {
    const value = text(key);
    if (!/^\d{1,15}$/.test(value)) throw invalid(label, `annotation ${key} is not a whole number: ${JSON.stringify(value)}`);
    return Number(value);
  };
  const format = text(ANNOTATIONS.format);
  if (!DISK_FORMATS.includes(format as DiskFormat)) throw invalid(label, `format ${JSON.stringify(format)} is not one of ${DISK_FORMATS.join(', ')}`);
  const facts: DiskFacts = {
    format: format as DiskFormat,
    compression: text(ANNOTATIONS.compression),
    platform: text(ANNOTATIONS.platform),
    erofsUtilsVersion: text(ANNOTATIONS.erofsUtilsVersion),
    treeDigest: text(ANNOTATIONS.treeDigest),
  };
  if (annotations[verityAnnotation('rootHash')] !== undefined) {
    const verity: Record<string, string | number> = {};
    for (const key of VERITY_PARAMETER_KEYS) verity[key] = VERITY_TEXT_KEYS.has(key) ? text(verityAnnotation(key)) : count(verityAnnotation(key));
    facts.verity = verity as unknown as VerityParameters;
  }
  return facts;
}

function invalid(label: string, why: string): BuilderError {
  return new BuilderError('MANIFEST_INVALID', `${label} ${why}`);
}
