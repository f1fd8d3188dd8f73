// Reference -> manifest (-> platform pick from an index -> manifest) -> config:
// everything a pull needs, every byte checked against its digest.
import { BuilderError } from '../../proto/errors.js';
import { readVerifiedBlob } from './blobs.js';
import { parseImageConfig, parseManifest, type Descriptor, type ImageIndex, type ImageManifest } from './manifest.js';
import { isConfigMediaType, layerCompression, manifestKind } from './mediatypes.js';
import { formatPlatform, hostPlatform, normalizePlatform, parsePlatform, platformRank, type Platform } from '../../core/platform.js';
import { formatReference, manifestRef, parseReference, type ImageReference } from '../../core/reference.js';
import { MAX_MANIFEST_BYTES, RegistryClient, type RegistryOptions } from './registry.js';
import type { LayerDescriptor, ResolvedImage } from './types.js';
import { sha256Digest, isSha256Digest } from '../../core/digest.js';
import { type ImageConfigJson } from '../../core/image-config.js';

export interface ResolveOptions extends RegistryOptions {
  /** `os/arch[/variant]` or a Platform; default: the platform this process runs on. */
  platform?: string | Platform;
  signal?: AbortSignal;
}

/** Resolves a reference to one image for one platform, verifying manifest, index and config digests. */
export async function resolveImage(reference: string | ImageReference, options: ResolveOptions = {}): Promise<ResolvedImage> {
  const ref = typeof reference === 'string' ? parseReference(reference) : reference;
  const wanted =
    options.platform === undefined ? hostPlatform() : typeof options.platform === 'string' ? parsePlatform(options.platform) : normalizePlatform(options.platform);
  const client = await RegistryClient.open(ref.registry, ref.repository, options);
  try {
    return await resolveWith(client, ref, wanted, options.signal);
  } finally {
    client.close();
  }
}

interface Fetched<T> {
  digest: string;
  size: number;
  parsed: T;
}

async function resolveWith(
  client: RegistryClient,
  ref: ImageReference,
  wanted: Platform,
  signal: AbortSignal | undefined,
): Promise<ResolvedImage> {
  const top = await fetchManifest(client, manifestRef(ref), ref.digest, undefined, `manifest ${formatReference(ref)}`, signal);
  let image: Fetched<ImageManifest>;
  let index: Fetched<ImageIndex> | undefined;
  let entryPlatform: Platform | undefined;
  if (top.parsed.kind === 'index') {
    index = top as Fetched<ImageIndex>;
    const entry = pickManifest(index.parsed, wanted, `index ${index.digest}`);
    const child = await fetchManifest(client, entry.digest, entry.digest, entry.size, `manifest ${entry.digest} (from index ${index.digest})`, signal);
    if (child.parsed.kind !== 'manifest') {
      throw new BuilderError('UNSUPPORTED_MEDIA_TYPE', `index ${index.digest} points to another index (${entry.digest}); nested indexes are not supported`);
    }
    image = child as Fetched<ImageManifest>;
    entryPlatform = entry.platform;
  } else {
    image = top as Fetched<ImageManifest>;
  }

  const manifest = image.parsed;
  const label = `manifest ${image.digest}`;
  if (!isConfigMediaType(manifest.config.mediaType)) {
    throw new BuilderError('UNSUPPORTED_MEDIA_TYPE', `${label}: config has unsupported media type ${JSON.stringify(manifest.config.mediaType)} (not a container image)`);
  }
  const compressions = manifest.layers.map((layer, i) => layerCompression(layer.mediaType, `${label}, layer ${i} (${layer.digest})`));
  const configLabel = `config ${manifest.config.digest}`;
  const configRaw = await readVerifiedBlob(client, manifest.config, configLabel, MAX_MANIFEST_BYTES, signal);
  const config = parseImageConfig(configRaw, configLabel);
  const diffIds = config.rootfs?.diff_ids ?? [];
  if (diffIds.length !== manifest.layers.length) {
    throw new BuilderError('MANIFEST_INVALID', `${label} lists ${manifest.layers.length} layers but its config has ${diffIds.length} diff_ids`);
  }
  const platform = checkPlatform(config, entryPlatform, wanted, label);
  const layers: LayerDescriptor[] = manifest.layers.map((layer, i) => ({
    digest: layer.digest,
    mediaType: layer.mediaType,
    size: layer.size,
    diffId: diffIds[i] as string,
    compression: compressions[i] ?? 'none',
  }));
  return {
    reference: formatReference(ref),
    registry: ref.registry,
    repository: ref.repository,
    manifestDigest: image.digest,
    manifestMediaType: manifest.mediaType,
    manifestSize: image.size,
    ...(index !== undefined && { indexDigest: index.digest, indexMediaType: index.parsed.mediaType }),
    platform,
    configDigest: manifest.config.digest,
    configRaw,
    config,
    layers,
  };
}

/** Fetches and parses a manifest; its sha256 is always computed and must equal `expected` when there is one. */
async function fetchManifest(
  client: RegistryClient,
  ref: string,
  expected: string | undefined,
  expectedSize: number | undefined,
  label: string,
  signal: AbortSignal | undefined,
): Promise<Fetched<ImageManifest | ImageIndex>> {
  const fetched = await client.fetchManifest(ref, signal);
  const digest = sha256Digest(fetched.bytes);
  if (expected !== undefined && digest !== expected) {
    throw new BuilderError('DIGEST_MISMATCH', `${label}: the registry served content hashing to ${digest}, not the requested ${expected}`);
  }
  if (expectedSize !== undefined && fetched.bytes.length !== expectedSize) {
    throw new BuilderError('DIGEST_MISMATCH', `${label}: ${fetched.bytes.length} bytes, its descriptor says ${expectedSize}`);
  }
  if (fetched.headerDigest !== undefined && isSha256Digest(fetched.headerDigest) && fetched.headerDigest !== digest) {
    throw new BuilderError('DIGEST_MISMATCH', `${label}: Docker-Content-Digest says ${fetched.headerDigest}, the content hashes to ${digest}`);
  }
  return { digest, size: fetched.bytes.length, parsed: parseManifest(fetched.bytes, fetched.contentType, label) };
}

/** The index entry that serves `wanted` best (exact before compatible, first in index order on ties). */
export function pickManifest(index: ImageIndex, wanted: Platform, label: string): Descriptor {
  let best: { entry: Descriptor; rank: number } | undefined;
  for (const entry of index.manifests) {
    if (manifestKind(entry.mediaType) !== 'manifest') continue; // nested indexes, artifacts
    // An entry without a platform may serve any; the config check after the fetch decides.
    const rank = entry.platform === undefined ? 100 : platformRank(wanted, entry.platform);
    if (rank !== undefined && (best === undefined || rank < best.rank)) best = { entry, rank };
  }
  if (best === undefined) {
    const available = index.manifests
      .filter((entry) => entry.platform !== undefined && entry.platform.os !== 'unknown')
      .map((entry) => formatPlatform(normalizePlatform(entry.platform as Platform)));
    throw new BuilderError(
      'PLATFORM_NOT_FOUND',
      `${label} has no image for ${formatPlatform(wanted)}; available: ${available.length > 0 ? [...new Set(available)].join(', ') : 'none'}`,
    );
  }
  return best.entry;
}

/**
 * The image's platform. The config's own os/architecture, when it states
 * them, must agree with the index entry that led to it (a lying index) and,
 * when no index entry chose it, with the wanted platform.
 */
function checkPlatform(config: ImageConfigJson, fromIndex: Platform | undefined, wanted: Platform, label: string): Platform {
  const declared =
    config.os !== undefined && config.architecture !== undefined
      ? normalizePlatform({ os: config.os, architecture: config.architecture, ...(config.variant !== undefined && { variant: config.variant }) })
      : undefined;
  if (fromIndex !== undefined) {
    const entry = normalizePlatform(fromIndex);
    if (declared !== undefined && (declared.os !== entry.os || declared.architecture !== entry.architecture)) {
      throw new BuilderError('MANIFEST_INVALID', `${label}: the index lists it for ${formatPlatform(entry)} but its config says ${formatPlatform(declared)}`);
    }
    return entry;
  }
  if (declared === undefined) return wanted;
  if (platformRank(wanted, declared) === undefined) {
    throw new BuilderError('PLATFORM_NOT_FOUND', `${label} is an image for ${formatPlatform(declared)}, not ${formatPlatform(wanted)}; available: ${formatPlatform(declared)}`);
  }
  return declared;
}
