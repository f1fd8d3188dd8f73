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

export type { ConvertImageOptions, ConvertImageResult, RegistryOptions, ResolveOptions, ResolvedImage };

/** Converts an image into a disk (agent/convert.ts). */
export async function convertImage(options: ConvertImageOptions): Promise<ConvertImageResult> {
  return (await import('./convert.js')).convertImage(options);
}

/** Resolves a reference to one image for one platform, every digest checked (agent/oci/resolve.ts). */
export async function resolveImage(reference: string | ImageReference, options: ResolveOptions = {}): Promise<ResolvedImage> {
  return (await import('./oci/resolve.js')).resolveImage(reference, options);
}
