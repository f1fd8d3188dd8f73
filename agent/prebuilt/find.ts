// Finding converted disks of an image manifest in its repository: the
// referrers of the manifest digest (referrers API, or the referrers tag where
// the registry has none) that are our artifacts in the wanted format and
// compression. What the list says is only a hint: a candidate's manifest is
// fetched by digest and checked (artifact.ts) before its disk blob is opened,
// and the blob is digest- and size-checked while it streams.
import type { Readable } from 'node:stream';
import type { DiskFormat } from '../../core/disk-format.js';
import { openVerifiedBlob } from '../oci/blobs.js';
import type { Descriptor } from '../oci/manifest.js';
import { listReferrers, type ReferrersSource } from '../oci/referrers.js';
import { RegistryClient, type RegistryOptions } from '../oci/registry.js';
import type { ResolvedImage } from '../oci/types.js';
import { DISK_ARTIFACT_TYPE, listedAs, readDiskArtifact, treeDigest, type DiskArtifact } from './artifact.js';

/** Candidates offered at most per lookup (a list can hold several disks of one image, e.g. from different builders). */
export const MAX_CANDIDATES = 3;

export interface DiskCandidate {
  /** Of the artifact manifest. */
  digest: string;
  /** Fetches and checks the artifact manifest; `blob()` then opens its disk (a verified stream: it errors instead of ending when the bytes lie). */
  open(): Promise<{ artifact: DiskArtifact; blob: () => Promise<Readable> }>;
}

export interface DiskCandidates {
  repository: string;
  foundBy: ReferrersSource;
  /** Newest first (the index appends, so its last entries are the latest pushes). */
  candidates: DiskCandidate[];
  /** Why the tag schema answered none (a tag holding something other than an index). */
  note?: string;
  /** Drops the registry connections; call when done with the candidates' streams. */
  close(): void;
}

export interface FindDiskRequest {
  /** The image as the host resolved it: manifest digest, config (tree digest). */
  image: ResolvedImage;
  format: DiskFormat;
  /** Canonical (core/compression.ts). */
  compression: string;
  registry?: RegistryOptions;
  signal?: AbortSignal;
}

export async function findDiskArtifacts(request: FindDiskRequest): Promise<DiskCandidates> {
  const { image, signal } = request;
  const client = await RegistryClient.open(image.registry, image.repository, { ...request.registry, ...(signal !== undefined && { signal }) });
  try {
    const list = await listReferrers(client, image.manifestDigest, { artifactType: DISK_ARTIFACT_TYPE, ...(signal !== undefined && { signal }) });
    const matching = list.descriptors.filter((descriptor) => listedAs(descriptor, request.format, request.compression));
    const unique = [...new Map(matching.map((descriptor) => [descriptor.digest, descriptor])).values()].reverse().slice(0, MAX_CANDIDATES);
    return {
      repository: `${image.registry}/${image.repository}`,
      foundBy: list.source,
      candidates: unique.map((descriptor) => candidate(client, request, descriptor)),
      ...(list.note !== undefined && { note: list.note }),
      close: () => client.close(),
    };
  } catch (err) {
    client.close();
    throw err;
  }
}

function candidate(client: RegistryClient, request: FindDiskRequest, descriptor: Descriptor): DiskCandidate {
  const { image, signal } = request;
  return {
    digest: descriptor.digest,
    async open() {
      const fetched = await client.fetchManifest(descriptor.digest, signal);
      const artifact = readDiskArtifact(fetched.bytes, fetched.contentType, descriptor.digest, {
        subject: image.manifestDigest,
        format: request.format,
        compression: request.compression,
        treeDigest: treeDigest(image.config.rootfs?.diff_ids ?? []),
      });
      const label = `disk blob ${artifact.disk.digest} of artifact ${descriptor.digest}`;
      return {
        artifact,
        blob: () => openVerifiedBlob(client, artifact.disk, label, { ...(signal !== undefined && { signal }), bufferBytes: 4 * 1024 * 1024 }),
      };
    },
  };
}
