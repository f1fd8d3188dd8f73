// Reads an image from an OCI image layout directory (what `skopeo copy ... oci:DIR:TAG`
// and `buildah push oci:DIR:TAG` write) as LayerBlobs for the layer engine. Used by
// the apply benchmark and the umoci comparison tests: both feed the same stored
// bytes to our engine and to `umoci unpack`. Also writes one (the E2E benchmark's
// generated images are cached as layouts and pushed with skopeo).
import { spawnSync } from 'node:child_process';
import { createReadStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LayerBlob, LayerCompression, LayerDescriptor } from '../agent/oci/types.js';
import { type ImageConfigJson } from '../core/image-config.js';

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}

export interface LayoutImage {
  dir: string;
  manifestDigest: string;
  config: ImageConfigJson;
  /** Bottom to top. */
  layers: LayerDescriptor[];
}

export function blobPath(dir: string, digest: string): string {
  const [algorithm, hex] = digest.split(':');
  return join(dir, 'blobs', algorithm!, hex!);
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

function compressionOf(mediaType: string): LayerCompression {
  if (mediaType.endsWith('gzip')) return 'gzip';
  if (mediaType.endsWith('zstd')) return 'zstd';
  return 'none';
}

/** The image tagged `tag` in the layout at `dir` (its single-platform manifest). */
export function readLayout(dir: string, tag: string): LayoutImage {
  const index = readJson<{ manifests: Descriptor[] }>(join(dir, 'index.json'));
  const entry = index.manifests.find((m) => m.annotations?.['org.opencontainers.image.ref.name'] === tag);
  if (!entry) throw new Error(`${dir}: no manifest tagged ${tag}`);
  const manifest = readJson<{ config: Descriptor; layers: Descriptor[] }>(blobPath(dir, entry.digest));
  const config = readJson<ImageConfigJson>(blobPath(dir, manifest.config.digest));
  const diffIds = config.rootfs?.diff_ids ?? [];
  if (diffIds.length !== manifest.layers.length) throw new Error(`${dir}: ${manifest.layers.length} layers but ${diffIds.length} diff_ids`);
  const layers = manifest.layers.map((layer, i) => ({
    digest: layer.digest,
    mediaType: layer.mediaType,
    size: layer.size,
    diffId: diffIds[i]!,
    compression: compressionOf(layer.mediaType),
  }));
  return { dir, manifestDigest: entry.digest, config, layers };
}

/** Fresh streams over the stored layer blobs, bottom to top. */
export function layoutBlobs(image: LayoutImage): LayerBlob[] {
  return image.layers.map((descriptor, index) => ({
    index,
    descriptor,
    stream: createReadStream(blobPath(image.dir, descriptor.digest), { highWaterMark: 1 << 20 }),
  }));
}

export interface LayoutBlob {
  mediaType: string;
  digest: string;
  size: number;
  bytes: Buffer;
}

/**
 * Writes an image (manifest, config and layer blobs, e.g. a fixture
 * builder's BuiltImage) as an OCI image layout with `tag`, what `skopeo copy
 * oci:DIR:TAG` reads. `dir` must not exist yet.
 */
export function writeLayout(dir: string, tag: string, image: { manifest: LayoutBlob; config: LayoutBlob; layers: LayoutBlob[] }): void {
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  for (const blob of [image.config, ...image.layers, image.manifest]) writeFileSync(blobPath(dir, blob.digest), blob.bytes);
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  const entry = { mediaType: image.manifest.mediaType, digest: image.manifest.digest, size: image.manifest.size, annotations: { 'org.opencontainers.image.ref.name': tag } };
  writeFileSync(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [entry] }));
}

let igzipPresent: boolean | undefined;

/**
 * The fastest command at hand that inflates a layer of `compression` from stdin to
 * stdout: the benchmarks' floor ("decompress every layer"). igzip (ISA-L) when
 * installed; the product itself inflates gzip with node:zlib (README, "Layer application").
 */
export function inflateCommand(compression: LayerCompression): string {
  if (compression === 'zstd') return 'zstd -dc';
  if (compression === 'none') return 'cat';
  igzipPresent ??= spawnSync('igzip', ['--version'], { stdio: 'ignore' }).status === 0;
  return igzipPresent ? 'igzip -dc' : 'gzip -dc';
}
