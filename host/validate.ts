// Checks on what the guest claims about its disk: the path (lexically, before
// anything touches the volume), the reported size and sha256. Everything here
// is pure; walking the volume lives in volume-dir.ts / volume-ext4.ts, copying
// (and the superblock check of the bytes actually copied) in diskcopy.ts.
import { sha256Hex } from '../core/digest.js';
import { checkOutputName } from '../core/output-name.js';
import { BuilderError } from '../proto/errors.js';

/** Default cap on a disk's size; a guest cannot make the host copy more. */
export const DEFAULT_DISK_SIZE_LIMIT = 64 * 1024 ** 3;

/**
 * Validates a disk path relative to the volume (the guest's answer, or the operator's
 * `register --path`) and returns its components: the output-name rule of
 * core/output-name.ts, every refusal PATH_REJECTED, before anything touches the volume.
 */
export function splitDiskPath(path: unknown): string[] {
  try {
    return checkOutputName(path);
  } catch (err) {
    const why = err instanceof BuilderError ? err.message : String(err);
    throw new BuilderError('PATH_REJECTED', `disk path rejected: ${why}`, { cause: err });
  }
}

/** What a path component is, in the words both volume readers use. */
export type EntryType = 'regular file' | 'directory' | 'symlink' | 'fifo' | 'character device' | 'block device' | 'socket' | 'unknown';

/** Directories on the way, a regular file at the end, no symlink anywhere. */
export function checkComponentType(relPath: string, components: readonly string[], index: number, type: EntryType): void {
  const shown = components.slice(0, index + 1).join('/');
  if (type === 'symlink') throw new BuilderError('PATH_REJECTED', `disk path ${relPath}: ${shown} is a symlink`);
  const last = index === components.length - 1;
  if (!last && type !== 'directory') throw new BuilderError('PATH_REJECTED', `disk path ${relPath}: ${shown} is not a directory`);
  if (last && type !== 'regular file') throw new BuilderError('NOT_REGULAR', `disk path ${relPath} is a ${type}, not a regular file`);
}

/** What the guest (or the operator) says the disk is; each field is checked when present. */
export interface DiskClaims {
  sizeBytes?: number;
  /** "sha256:<64 lowercase hex>" of the disk file as found on the volume. */
  sha256?: string;
}

/** Checks a size (claimed or found) against the accepted range 1..limit; out of range is SIZE_LIMIT. */
export function checkSizeRange(sizeBytes: number, limit: number, what: string): void {
  if (!Number.isSafeInteger(sizeBytes) || sizeBytes < 0) {
    throw new BuilderError('INVALID_ARGUMENT', `${what} is not a byte count: ${sizeBytes}`);
  }
  if (sizeBytes === 0) throw new BuilderError('SIZE_LIMIT', `${what} is 0 bytes: an empty disk`);
  if (sizeBytes > limit) throw new BuilderError('SIZE_LIMIT', `${what} is ${sizeBytes} bytes, above the limit of ${limit}`);
}

/** Validates the claims themselves (well-formed, size in range) before any byte is read. */
export function checkClaims(claims: DiskClaims, limit: number): void {
  if (claims.sizeBytes !== undefined) checkSizeRange(claims.sizeBytes, limit, 'reported size');
  if (claims.sha256 !== undefined) sha256Hex(claims.sha256, 'reported sha256');
}
