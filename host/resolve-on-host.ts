// The registry client, loaded only when the host resolves a reference itself
// (--resolve-first, or to confirm an agent's answer for a pinned index): the
// common fast path never needs it, and loading it is a third of the bin's start-up.
import type { ResolveOptions } from '../agent/oci/resolve.js';
import type { ImageReference } from '../agent/oci/reference.js';
import type { ResolvedImage } from '../agent/oci/types.js';

export async function resolveOnHost(ref: ImageReference, options: ResolveOptions): Promise<ResolvedImage> {
  const { resolveImage } = await import('../agent/oci/resolve.js');
  return resolveImage(ref, options);
}
