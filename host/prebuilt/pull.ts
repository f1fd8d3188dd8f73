// Registering a disk another host converted: the engine lists our artifacts
// for the manifest (findDiskArtifacts) and checks each candidate's manifest
// (this manifest, format, compression, tree); its disk blob then streams into
// the store through the same verified copy every disk goes through (size,
// superblock, sha256: diskcopy.ts) while the blob stream checks its digest. A
// candidate that fails any check is refused, with its code, and the next one
// tried; the caller converts when none passes, and records the refusals.
import type { Readable } from 'node:stream';
import { findDiskArtifacts, type DiskArtifact, type DiskCandidate, type ReferrersSource, type RegistryOptions, type ResolvedImage } from '../../agent/engine.js';
import type { DiskFormat } from '../../core/disk-format.js';
import { formatPlatform } from '../../core/platform.js';
import type { ImageReference } from '../../core/reference.js';
import { asBuilderError } from '../../proto/errors.js';
import type { DiskSource } from '../diskcopy.js';
import { runtimeConfigFromOci, type PrebuiltRefusal } from '../metadata.js';
import { registerPrebuiltImage, type ImageStore, type RegisterImageResult } from '../store.js';

export interface PrebuiltPullRequest {
  store: ImageStore;
  /** The image as the host resolved it (manifest digest, config, platform). */
  image: ResolvedImage;
  /** What to file it under (the reference as given: its repository, and its tag). */
  reference: ImageReference;
  format: DiskFormat;
  /** Canonical (core/compression.ts). */
  compression: string;
  registry?: RegistryOptions;
  diskSizeLimit?: number;
  signal?: AbortSignal;
  log?(level: 'info' | 'warn', message: string): void;
}

export interface PrebuiltPullOutcome {
  /** Set when a disk was registered from the registry. */
  registered?: RegisterImageResult & { artifact: DiskArtifact };
  /** Candidates refused, or the lookup's own failure: why the caller converts. */
  refused: PrebuiltRefusal[];
  foundBy?: ReferrersSource;
  /** Disk blob bytes read from the registry (the one registered and any refused). */
  bytesPulled: number;
}

/** Looks for a prebuilt disk and registers the first one that passes every check; a bad or missing artifact is an outcome, not an error. */
export async function pullPrebuilt(request: PrebuiltPullRequest): Promise<PrebuiltPullOutcome> {
  const { image, signal } = request;
  let found;
  try {
    found = await findDiskArtifacts({
      image,
      format: request.format,
      compression: request.compression,
      ...(request.registry !== undefined && { registry: request.registry }),
      ...(signal !== undefined && { signal }),
    });
  } catch (err) {
    if (signal?.aborted) throw err;
    const error = asBuilderError(err);
    request.log?.('warn', `looking for a prebuilt disk failed (${error.code}: ${error.message}); converting`);
    return { refused: [{ code: error.code, message: error.message }], bytesPulled: 0 };
  }
  const refused: PrebuiltRefusal[] = [];
  const counter = { bytes: 0 };
  try {
    if (found.note !== undefined) request.log?.('warn', `referrers of ${image.manifestDigest}: ${found.note}`);
    for (const candidate of found.candidates) {
      try {
        const registered = await registerCandidate(request, candidate, found.repository, found.foundBy, counter);
        return { registered, refused, foundBy: found.foundBy, bytesPulled: counter.bytes };
      } catch (err) {
        if (signal?.aborted) throw err;
        const error = asBuilderError(err);
        refused.push({ artifactDigest: candidate.digest, code: error.code, message: error.message });
        request.log?.('warn', `prebuilt disk ${candidate.digest} refused (${error.code}: ${error.message})`);
      }
    }
    return { refused, foundBy: found.foundBy, bytesPulled: counter.bytes };
  } finally {
    found.close();
  }
}

async function registerCandidate(
  request: PrebuiltPullRequest,
  candidate: DiskCandidate,
  repository: string,
  foundBy: ReferrersSource,
  counter: { bytes: number },
): Promise<RegisterImageResult & { artifact: DiskArtifact }> {
  const { image, signal } = request;
  const { artifact, blob } = await candidate.open();
  const registered = await registerPrebuiltImage(request.store, {
    reference: request.reference,
    manifestDigest: image.manifestDigest,
    format: request.format,
    source: 'registry',
    config: runtimeConfigFromOci(image.config),
    configDigest: image.configDigest,
    platform: formatPlatform(image.platform),
    compression: request.compression,
    erofsUtilsVersion: artifact.facts.erofsUtilsVersion,
    pulledFrom: { repository, artifactDigest: candidate.digest, blobDigest: artifact.disk.digest, foundBy },
    disk: blobDisk(blob, artifact.disk.size, counter),
    // The artifact's word, checked while copying like an agent's Result.
    expected: { sizeBytes: artifact.disk.size, sha256: artifact.disk.digest },
    ...(request.diskSizeLimit !== undefined && { sizeLimit: request.diskSizeLimit }),
    ...(signal !== undefined && { signal }),
  });
  return { ...registered, artifact };
}

/** The disk blob as a DiskSource: opened only when the copy starts reading. */
function blobDisk(open: () => Promise<Readable>, sizeBytes: number, counter: { bytes: number }): DiskSource {
  let stream: Readable | undefined;
  return {
    sizeBytes,
    async *chunks() {
      stream = await open();
      for await (const chunk of stream) {
        counter.bytes += (chunk as Buffer).length;
        yield chunk as Buffer;
      }
    },
    close() {
      stream?.destroy();
      return Promise.resolve();
    },
  };
}
