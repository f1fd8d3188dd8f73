// The conversion engine as anything outside agent/ uses it: the host's fallback
// path and `convert-local` convert with it, the orchestrator resolves references
// with it. The one module of agent/ that host/ imports (test/architecture.test.ts
// keeps it so). Both functions load their modules on first use: `builder-host
// convert` asks an agent and seldom needs either, and loading the registry client
// and the pipeline is most of a bin's start-up.
import type { ImageReference } from '../core/reference.js';
import type { ConvertImageOptions, ConvertImageResult } from './convert.js';
import type { RegistryOptions } from './oci/registry.js';
import type { ResolveOptions } from './oci/resolve.js';
import type { ResolvedImage } from './oci/types.js';
import type { FormattedVerity } from './disk/verity.js';
import type { DiskArtifact, DiskFacts } from './prebuilt/artifact.js';
import type { DiskCandidate, DiskCandidates, FindDiskRequest } from './prebuilt/find.js';
import type { DiskArtifactPush, DiskArtifactPushed } from './prebuilt/push.js';
import type { ReferrersSource } from './oci/referrers.js';
import type { VerityParameters } from '../core/verity.js';

export type { ConvertImageOptions, ConvertImageResult, RegistryOptions, ResolveOptions, ResolvedImage };
export type { DiskArtifact, DiskArtifactPush, DiskArtifactPushed, DiskCandidate, DiskCandidates, DiskFacts, FindDiskRequest, FormattedVerity, ReferrersSource };

/** Converts an image into a disk (agent/convert.ts). */
export async function convertImage(options: ConvertImageOptions): Promise<ConvertImageResult> {
  return (await import('./convert.js')).convertImage(options);
}

/** Resolves a reference to one image for one platform, every digest checked (agent/oci/resolve.ts). */
export async function resolveImage(reference: string | ImageReference, options: ResolveOptions = {}): Promise<ResolvedImage> {
  return (await import('./oci/resolve.js')).resolveImage(reference, options);
}

/** Publishes a converted disk as an artifact attached to its image manifest (agent/prebuilt/push.ts). */
export async function pushDiskArtifact(request: DiskArtifactPush): Promise<DiskArtifactPushed> {
  return (await import('./prebuilt/push.js')).pushDiskArtifact(request);
}

/** Lists the converted disks attached to an image manifest that match a format and compression (agent/prebuilt/find.ts). */
export async function findDiskArtifacts(request: FindDiskRequest): Promise<DiskCandidates> {
  return (await import('./prebuilt/find.js')).findDiskArtifacts(request);
}

/** `veritysetup format` of a disk into a hash file, with the layout of core/verity.ts (agent/disk/verity.ts). */
export async function formatVerity(diskPath: string, hashPath: string, diskSha256: string, signal?: AbortSignal): Promise<FormattedVerity> {
  return (await import('./disk/verity.js')).formatVerity(diskPath, hashPath, diskSha256, signal);
}

/** `veritysetup verify` of a disk by the parameters alone (agent/disk/verity.ts); DIGEST_MISMATCH when a block does not check out. */
export async function verifyVerity(diskPath: string, hashPath: string, verity: VerityParameters, signal?: AbortSignal): Promise<void> {
  return (await import('./disk/verity.js')).verifyVerity(diskPath, hashPath, verity, signal);
}
