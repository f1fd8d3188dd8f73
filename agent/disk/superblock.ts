// The EROFS on-disk superblock (include/erofs_fs.h: struct erofs_super_block,
// 128 bytes at byte 1024) as far as this project reads or rewrites it, and
// the crc32c that guards it.
//
// Reproducibility: erofs-utils stamps the wall-clock build time into the
// superblock, and `-T`/SOURCE_DATE_EPOCH (the tool's own knobs) also rewrite
// every file's mtime in 1.5. The build time is only used by the kernel as the
// mtime of "compact" inodes; with `-E force-inode-extended` there are none, so
// rewriting it after mkfs changes no file's metadata.
import { EROFS_MAGIC, SUPERBLOCK_OFFSET } from '../../core/disk-format.js';
import { BuilderError } from '../../proto/errors.js';

export const EROFS_FEATURE_COMPAT_SB_CHKSUM = 0x1;

// Field offsets inside struct erofs_super_block.
const MAGIC = 0;
const CHECKSUM = 4;
const FEATURE_COMPAT = 8;
const BLKSZBITS = 12;
const ROOT_NID = 14;
const INOS = 16;
const BUILD_TIME = 24;
const BUILD_TIME_NSEC = 32;
const BLOCKS = 36;
const UUID = 48;
const FEATURE_INCOMPAT = 80;

/** Bytes needed to read a superblock and its checksummed range for any supported block size. */
export const SUPERBLOCK_READ_BYTES = 4096;

export interface ErofsSuperblock {
  checksum: number;
  featureCompat: number;
  featureIncompat: number;
  blockSizeBits: number;
  rootNid: number;
  inodes: bigint;
  buildTime: bigint;
  buildTimeNsec: number;
  blocks: number;
  uuid: string;
}

function superblockView(head: Buffer): Buffer {
  if (head.length < SUPERBLOCK_OFFSET + 128 || head.readUInt32LE(SUPERBLOCK_OFFSET + MAGIC) !== EROFS_MAGIC) {
    throw new BuilderError('BAD_SUPERBLOCK', 'no EROFS superblock magic at byte 1024');
  }
  return head.subarray(SUPERBLOCK_OFFSET);
}

/** Parses the superblock from the first bytes of an image (at least 1152). Throws BAD_SUPERBLOCK without the magic. */
export function readErofsSuperblock(head: Buffer): ErofsSuperblock {
  const sb = superblockView(head);
  const uuidHex = sb.subarray(UUID, UUID + 16).toString('hex');
  return {
    checksum: sb.readUInt32LE(CHECKSUM),
    featureCompat: sb.readUInt32LE(FEATURE_COMPAT),
    featureIncompat: sb.readUInt32LE(FEATURE_INCOMPAT),
    blockSizeBits: sb.readUInt8(BLKSZBITS),
    rootNid: sb.readUInt16LE(ROOT_NID),
    inodes: sb.readBigUInt64LE(INOS),
    buildTime: sb.readBigUInt64LE(BUILD_TIME),
    buildTimeNsec: sb.readUInt32LE(BUILD_TIME_NSEC),
    blocks: sb.readUInt32LE(BLOCKS),
    uuid: `${uuidHex.slice(0, 8)}-${uuidHex.slice(8, 12)}-${uuidHex.slice(12, 16)}-${uuidHex.slice(16, 20)}-${uuidHex.slice(20)}`,
  };
}

/**
 * The length the kernel checksums (fs/erofs/super.c, erofs_superblock_csum_verify):
 * from byte 1024 to the end of block 0, i.e. blocksize - 1024 (3072 for 4 KiB blocks).
 */
function checksummedLength(sb: Buffer): number {
  const blockSize = 2 ** sb.readUInt8(BLKSZBITS);
  return blockSize > SUPERBLOCK_OFFSET ? blockSize - SUPERBLOCK_OFFSET : blockSize;
}

/** crc32c of the superblock with its checksum field zeroed, seeded with ~0 and not inverted, as erofs does. */
export function erofsSuperblockChecksum(head: Buffer): number {
  const sb = superblockView(head);
  const length = checksummedLength(sb);
  if (sb.length < length) throw new BuilderError('BAD_SUPERBLOCK', `superblock block truncated: need ${length + SUPERBLOCK_OFFSET} bytes`);
  const copy = Buffer.from(sb.subarray(0, length));
  copy.writeUInt32LE(0, CHECKSUM);
  return crc32c(0xffffffff, copy);
}

export interface SuperblockIdentity {
  /** Seconds since the epoch. */
  buildTime: number;
  /** Canonical UUID text. */
  uuid: string;
}

/**
 * Sets the build time (nanoseconds 0) and UUID in `head` (the image's first
 * block, modified in place) and rewrites the checksum when the image carries
 * one. Returns whether the checksum feature was set.
 */
export function rewriteErofsSuperblock(head: Buffer, identity: SuperblockIdentity): boolean {
  const sb = superblockView(head);
  const { buildTime, uuid } = identity;
  if (!Number.isSafeInteger(buildTime) || buildTime < 0) throw new BuilderError('INVALID_ARGUMENT', `build time ${buildTime} is not a non-negative integer`);
  const uuidBytes = Buffer.from(uuid.replace(/-/g, ''), 'hex');
  if (uuidBytes.length !== 16) throw new BuilderError('INVALID_ARGUMENT', `'${uuid}' is not a UUID`);
  sb.writeBigUInt64LE(BigInt(buildTime), BUILD_TIME);
  sb.writeUInt32LE(0, BUILD_TIME_NSEC);
  uuidBytes.copy(sb, UUID);
  const checksummed = (sb.readUInt32LE(FEATURE_COMPAT) & EROFS_FEATURE_COMPAT_SB_CHKSUM) !== 0;
  if (checksummed) sb.writeUInt32LE(erofsSuperblockChecksum(head), CHECKSUM);
  return checksummed;
}

/** True when the stored checksum matches (or the image has no checksum feature). */
export function erofsChecksumValid(head: Buffer): boolean {
  const sb = readErofsSuperblock(head);
  if ((sb.featureCompat & EROFS_FEATURE_COMPAT_SB_CHKSUM) === 0) return true;
  return sb.checksum === erofsSuperblockChecksum(head);
}

const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** Raw CRC-32C (Castagnoli, reflected) update: no final inversion, as the kernel's crc32c(seed, ...) helper. */
export function crc32c(seed: number, data: Uint8Array): number {
  let crc = seed >>> 0;
  for (const byte of data) crc = (CRC32C_TABLE[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return crc >>> 0;
}
