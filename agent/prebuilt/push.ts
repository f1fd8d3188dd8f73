// Publishing a converted disk in its image's own repository: the subject
// manifest is resolved (every digest checked) for its descriptor and its tree
// digest, the disk uploaded unless the registry has it, the artifact manifest
// pushed by digest, and listed under the referrers tag when the registry did
// not process the subject itself. Idempotent: the same disk gives the same
// artifact bytes, and the referrers index is only appended to.
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { formatReference, type ImageReference } from '../../core/reference.js';
import { BuilderError } from '../../proto/errors.js';
import { addReferrer, referrersTag, type ReferrersSource } from '../oci/referrers.js';
import { RegistryClient, type RegistryOptions } from '../oci/registry.js';
import { resolveImage } from '../oci/resolve.js';
import { pushBlob, pushManifest } from '../oci/upload.js';
import { buildDiskArtifact, EMPTY_DESCRIPTOR, EMPTY_JSON, treeDigest, type DiskFacts } from './artifact.js';

export interface DiskArtifactPush {
  /** The image the disk was made from: registry, repository and its manifest digest. */
  image: ImageReference & { digest: string };
  /** The platform it was converted for (picks the manifest when the digest names an index: refused then). */
  platform: string;
  /** The config digest the disk was made from, when known: the registry's manifest must name it. */
  configDigest?: string;
  /** The disk file, its sha256 and size (what the store recorded; checked again while it streams). */
  disk: { path: string; digest: string; size: number };
  facts: Omit<DiskFacts, 'treeDigest' | 'platform'>;
  registry?: RegistryOptions;
  signal?: AbortSignal;
}

export interface DiskArtifactPushed {
  /** registry/repository the artifact went to. */
  repository: string;
  artifactDigest: string;
  /** The image manifest it is attached to. */
  subject: string;
  disk: { digest: string; size: number };
  /** False when the registry had the disk blob already. */
  diskUploaded: boolean;
  /** Bytes of blob bodies sent (the disk, when uploaded). */
  bytesUploaded: number;
  /** How other hosts find it: the registry processed the subject (referrers API), or it is listed under the referrers tag. */
  listedBy: ReferrersSource;
  /** The referrers tag, when the index under it was used. */
  referrersTag?: string;
}

export async function pushDiskArtifact(request: DiskArtifactPush): Promise<DiskArtifactPushed> {
  const { image, signal } = request;
  const what = formatReference(image);
  const subject = await resolveImage(image, { ...request.registry, platform: request.platform, ...(signal !== undefined && { signal }) });
  if (subject.manifestDigest !== image.digest) throw new BuilderError('DIGEST_MISMATCH', `${what} is an index, not the image manifest a disk is made from`);
  if (request.configDigest !== undefined && subject.configDigest !== request.configDigest) {
    throw new BuilderError('DIGEST_MISMATCH', `${what}: the registry's manifest has config ${subject.configDigest}, the disk was made from ${request.configDigest}`);
  }
  const facts: DiskFacts = { ...request.facts, platform: request.platform, treeDigest: treeDigest(subject.config.rootfs?.diff_ids ?? []) };
  const client = await RegistryClient.open(image.registry, image.repository, { ...request.registry, push: true, ...(signal !== undefined && { signal }) });
  try {
    await pushBlob(client, { digest: EMPTY_DESCRIPTOR.digest, size: EMPTY_DESCRIPTOR.size, open: () => Readable.from([EMPTY_JSON]) }, signal);
    const disk = { digest: request.disk.digest, size: request.disk.size };
    const blob = await pushBlob(client, { ...disk, open: () => createReadStream(request.disk.path, { highWaterMark: 1024 * 1024 }) }, signal);
    const artifact = buildDiskArtifact({ mediaType: subject.manifestMediaType, digest: subject.manifestDigest, size: subject.manifestSize }, disk, facts);
    const pushed = await pushManifest(client, artifact.digest, artifact, signal);
    const result = {
      repository: `${image.registry}/${image.repository}`,
      artifactDigest: artifact.digest,
      subject: image.digest,
      disk,
      diskUploaded: blob.uploaded,
      bytesUploaded: blob.bytesSent,
    };
    if (pushed.subjectProcessed === image.digest) return { ...result, listedBy: 'referrers-api' };
    await addReferrer(client, image.digest, artifact.descriptor, signal);
    return { ...result, listedBy: 'tag-schema', referrersTag: referrersTag(image.digest) };
  } finally {
    client.close();
  }
}
