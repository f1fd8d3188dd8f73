// Checks on what the guest claims about its disk: the path (lexically, before
// anything touches the volume), the reported size and sha256, and the
// superblock of the bytes actually copied. Everything here is pure; walking the
// volume lives in volume-dir.ts / volume-ext4.ts, copying in diskcopy.ts.
import { BuilderError } from '../proto/errors.js';

export type DiskFormatName = 'erofs' | 'ext4';
export const DISK_FORMATS: readonly DiskFormatName[] = ['erofs', 'ext4'];

/** Default cap on a disk's size; a guest cannot make the host copy more. */
export const DEFAULT_DISK_SIZE_LIMIT = 64 * 1024 ** 3;
export const MAX_PATH_BYTES = 4096;
export const MAX_COMPONENT_BYTES = 255;

export const EROFS_MAGIC = 0xe0f5e1e2;
export const EXT4_MAGIC = 0xef53;
const SUPERBLOCK_OFFSET = 1024;
/** How many leading bytes checkSuperblock needs (ext4's magic ends at 1024 + 58). */
export const SUPERBLOCK_PROBE_BYTES = SUPERBLOCK_OFFSET + 58;

// C0 controls, DEL, C1 controls; backslash (a separator to some readers, never
// produced by the agent); U+FFFD (the wire string was not valid UTF-8, so the
// name on disk is not the one we would open); lone surrogates.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const FORBIDDEN_CHAR = /[\u0000-\u001f\u007f-\u009f\\\ufffd]|\p{Surrogate}/u;
const SHA256_DIGEST = /^sha256:([0-9a-f]{64})$/;

function rejectPath(path: string, why: string): BuilderError {
  return new BuilderError('PATH_REJECTED', `disk path ${JSON.stringify(path)} rejected: ${why}`);
}

/**
 * Validates a disk path relative to the volume and returns its components.
 * Only the canonical form is accepted: no empty, `.` or `..` components (so no
 * `a//b`, no trailing `/`, no `a/../../x`), nothing absolute.
 */
export function splitDiskPath(path: unknown): string[] {
  if (typeof path !== 'string') throw new BuilderError('PATH_REJECTED', 'disk path is not a string');
  if (path.length === 0) throw rejectPath(path, 'empty');
  if (Buffer.byteLength(path) > MAX_PATH_BYTES) throw rejectPath(path.slice(0, 64) + '...', `longer than ${MAX_PATH_BYTES} bytes`);
  const bad = FORBIDDEN_CHAR.exec(path);
  if (bad) throw rejectPath(path, `forbidden character U+${bad[0].codePointAt(0)!.toString(16).padStart(4, '0')}`);
  if (path.startsWith('/')) throw rejectPath(path, 'absolute');
  const components = path.split('/');
  for (const component of components) {
    if (component === '') throw rejectPath(path, 'empty component');
    if (component === '.' || component === '..') throw rejectPath(path, `'${component}' component`);
    if (Buffer.byteLength(component) > MAX_COMPONENT_BYTES) throw rejectPath(path, `component longer than ${MAX_COMPONENT_BYTES} bytes`);
  }
  return components;
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

export function parseSha256Digest(value: string, what: string): string {
  const match = SHA256_DIGEST.exec(value);
  if (!match) throw new BuilderError('INVALID_ARGUMENT', `${what} is not sha256:<64 lowercase hex>: ${JSON.stringify(value.slice(0, 100))}`);
  return match[1]!;
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
  if (claims.sha256 !== undefined) parseSha256Digest(claims.sha256, 'reported sha256');
}

/**
 * Checks the superblock magic of the first bytes of a disk. `head` must hold at
 * least SUPERBLOCK_PROBE_BYTES, unless the whole disk is shorter (then it is rejected).
 */
export function checkSuperblock(head: Uint8Array, format: DiskFormatName): void {
  const bytes = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  if (format === 'erofs') {
    const magic = bytes.length >= SUPERBLOCK_OFFSET + 4 ? bytes.readUInt32LE(SUPERBLOCK_OFFSET) : undefined;
    if (magic !== EROFS_MAGIC) throw badMagic('EROFS', magic, 8);
  } else {
    const magic = bytes.length >= SUPERBLOCK_PROBE_BYTES ? bytes.readUInt16LE(SUPERBLOCK_OFFSET + 56) : undefined;
    if (magic !== EXT4_MAGIC) throw badMagic('ext4', magic, 4);
  }
}

function badMagic(format: string, found: number | undefined, width: number): BuilderError {
  const seen = found === undefined ? 'the disk is too short to hold one' : `found magic 0x${found.toString(16).padStart(width, '0')}`;
  return new BuilderError('BAD_SUPERBLOCK', `not an ${format} disk: ${seen}`);
}
