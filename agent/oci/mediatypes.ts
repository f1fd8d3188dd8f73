// The media types this project reads, in their OCI and Docker spellings.
import { MEDIATYPE_MANIFEST_LIST_V2, MEDIATYPE_MANIFEST_V2, MEDIATYPE_OCI_MANIFEST_INDEX_V1, MEDIATYPE_OCI_MANIFEST_V1 } from 'oci-registry-client';
import { BuilderError } from '../../proto/errors.js';
import type { LayerCompression } from './types.js';

export const OCI_MANIFEST = MEDIATYPE_OCI_MANIFEST_V1;
export const OCI_INDEX = MEDIATYPE_OCI_MANIFEST_INDEX_V1;
const DOCKER_MANIFEST = MEDIATYPE_MANIFEST_V2;
const DOCKER_MANIFEST_LIST = MEDIATYPE_MANIFEST_LIST_V2;
const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
const DOCKER_CONFIG = 'application/vnd.docker.container.image.v1+json';
const DOCKER_SCHEMA1 = ['application/vnd.docker.distribution.manifest.v1+json', 'application/vnd.docker.distribution.manifest.v1+prettyjws'];

export type ManifestKind = 'manifest' | 'index';

const MANIFEST_KINDS: ReadonlyMap<string, ManifestKind> = new Map([
  [OCI_MANIFEST, 'manifest'],
  [DOCKER_MANIFEST, 'manifest'],
  [OCI_INDEX, 'index'],
  [DOCKER_MANIFEST_LIST, 'index'],
]);

export function manifestKind(mediaType: string): ManifestKind | undefined {
  return MANIFEST_KINDS.get(mediaType);
}

export function isSchema1(mediaType: string): boolean {
  return DOCKER_SCHEMA1.includes(mediaType);
}

export function isConfigMediaType(mediaType: string): boolean {
  return mediaType === OCI_CONFIG || mediaType === DOCKER_CONFIG;
}

const LAYER_COMPRESSION: ReadonlyMap<string, LayerCompression> = new Map([
  ['application/vnd.oci.image.layer.v1.tar', 'none'],
  ['application/vnd.oci.image.layer.v1.tar+gzip', 'gzip'],
  ['application/vnd.oci.image.layer.v1.tar+zstd', 'zstd'],
  // Deprecated in image-spec 1.1 but still valid content; fetched from the registry like any blob.
  ['application/vnd.oci.image.layer.nondistributable.v1.tar', 'none'],
  ['application/vnd.oci.image.layer.nondistributable.v1.tar+gzip', 'gzip'],
  ['application/vnd.oci.image.layer.nondistributable.v1.tar+zstd', 'zstd'],
  ['application/vnd.docker.image.rootfs.diff.tar', 'none'],
  ['application/vnd.docker.image.rootfs.diff.tar.gzip', 'gzip'],
  ['application/vnd.docker.image.rootfs.diff.tar.zstd', 'zstd'],
  ['application/vnd.docker.image.rootfs.foreign.diff.tar.gzip', 'gzip'],
]);

/** The compression a layer media type implies; UNSUPPORTED_MEDIA_TYPE naming it when it is not a layer type we can apply. */
export function layerCompression(mediaType: string, label: string): LayerCompression {
  const compression = LAYER_COMPRESSION.get(mediaType);
  if (compression === undefined) {
    throw new BuilderError('UNSUPPORTED_MEDIA_TYPE', `${label} has unsupported media type ${JSON.stringify(mediaType)}`);
  }
  return compression;
}
