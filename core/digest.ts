// Content digests as this project accepts them: `sha256:` and 64 lowercase hex
// digits, the only algorithm taken for manifests, blobs, disks and references.
import { createHash } from 'node:crypto';
import { BuilderError, type ErrorCode } from '../proto/errors.js';

/** The hex of a sha256 digest, as a pattern to build others from (the store's file names). */
export const SHA256_HEX_PATTERN = '[a-f0-9]{64}';
const SHA256_DIGEST = new RegExp(`^sha256:(${SHA256_HEX_PATTERN})$`);
/** A name that is a digest's hex alone (a store entry's directory). */
export const SHA256_HEX = new RegExp(`^${SHA256_HEX_PATTERN}$`);

export function isSha256Digest(value: unknown): boolean {
  return typeof value === 'string' && SHA256_DIGEST.test(value);
}

/** The hex of a `sha256:<hex>` digest; `code` (default INVALID_ARGUMENT) naming `what` otherwise. */
export function sha256Hex(value: string, what: string, code: ErrorCode = 'INVALID_ARGUMENT'): string {
  const hex = SHA256_DIGEST.exec(value)?.[1];
  if (hex === undefined) throw new BuilderError(code, `${what} is not sha256:<64 lowercase hex>: ${JSON.stringify(value.slice(0, 100))}`);
  return hex;
}

/** `sha256:<hex>` of some bytes. */
export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}
