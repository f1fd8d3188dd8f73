// Shared shapes between the registry side (agent/oci) and its consumers
// (agent/layers, agent/convert, host/). Kept free of behaviour.
import type { Readable } from 'node:stream';
import type { ImageConfigJson } from '../../core/image-config.js';
import type { Platform } from '../../core/platform.js';

export type LayerCompression = 'gzip' | 'zstd' | 'none';


export interface LayerDescriptor {
  /** Digest of the blob as stored in the registry (compressed bytes). */
  digest: string;
  mediaType: string;
  /** Compressed size from the manifest. */
  size: number;
  /** Digest of the uncompressed tar, from the config's rootfs.diff_ids. */
  diffId: string;
  compression: LayerCompression;
}

export interface ResolvedImage {
  /** The reference as given, normalised (registry/repository[:tag][@digest]). */
  reference: string;
  registry: string;
  repository: string;
  /** Digest of the image manifest (the platform's own, when the reference named an index). */
  manifestDigest: string;
  manifestMediaType: string;
  /** Bytes of the image manifest (with digest and media type: its descriptor, e.g. as an artifact's subject). */
  manifestSize: number;
  /** Set when the reference named an index / manifest list and the platform was picked from it. */
  indexDigest?: string;
  indexMediaType?: string;
  platform: Platform;
  configDigest: string;
  configRaw: Buffer;
  config: ImageConfigJson;
  /** Bottom to top. */
  layers: LayerDescriptor[];
}

/** A layer's compressed bytes, digest-checked while they stream; fails with DIGEST_MISMATCH at the end if they lie. */
export interface LayerBlob {
  index: number;
  descriptor: LayerDescriptor;
  stream: Readable;
}
