// What makes a disk reproducible: its filesystem UUID comes from the manifest
// digest and its build time from the image's created time, never from the
// clock or a random source.
import { BuilderError } from '../../proto/errors.js';

/**
 * A UUID made of the first 16 bytes of the digest, with the RFC 9562 (ex-4122)
 * variant bits and version 8 ("custom": derived by a rule of our own, not
 * random and not a v5 SHA-1 name hash).
 */
export function uuidFromDigest(digest: string): string {
  const match = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:([a-f0-9]{32,})$/.exec(digest);
  if (!match?.[1]) throw new BuilderError('INVALID_ARGUMENT', `'${digest}' is not a digest (algorithm:hex) of at least 128 bits`);
  const bytes = Buffer.from(match[1].slice(0, 32), 'hex');
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x80;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The image config's `created` (RFC 3339) in whole seconds; 0 when absent, unparsable or before 1970. */
export function buildTimeFromCreated(created: string | undefined): number {
  if (!created) return 0;
  const ms = Date.parse(created);
  return Number.isFinite(ms) && ms > 0 ? Math.floor(ms / 1000) : 0;
}
