// The disk formats the project builds, as both sides name them, and what marks
// a file as one: the superblock magic, and the 4096-byte alignment every disk
// is padded to.
import { BuilderError } from '../proto/errors.js';

export const DISK_FORMATS = ['erofs', 'ext4'] as const;
export type DiskFormat = (typeof DISK_FORMATS)[number];
export const DEFAULT_DISK_FORMAT: DiskFormat = 'erofs';

/** `text` as a disk format, INVALID_ARGUMENT otherwise (`what` names it, e.g. "--format"). */
export function parseDiskFormat(text: string, what = 'format'): DiskFormat {
  if ((DISK_FORMATS as readonly string[]).includes(text)) return text as DiskFormat;
  throw new BuilderError('INVALID_ARGUMENT', `${what} must be one of ${DISK_FORMATS.join(', ')}, not ${JSON.stringify(text)}`);
}

/** Every disk is a whole number of these: block devices and VMMs want it, and mkfs does not always give it. */
export const DISK_ALIGNMENT = 4096;

export function alignUp(bytes: number, alignment = DISK_ALIGNMENT): number {
  return Math.ceil(bytes / alignment) * alignment;
}

/** Both superblocks start 1024 bytes into the disk. */
export const SUPERBLOCK_OFFSET = 1024;
/** struct erofs_super_block.magic (le32) at the superblock's start. */
export const EROFS_MAGIC = 0xe0f5e1e2;
/** struct ext4_super_block.s_magic (le16), 56 bytes into the superblock. */
export const EXT4_MAGIC = 0xef53;
export const EXT4_MAGIC_OFFSET = SUPERBLOCK_OFFSET + 56;
/** How many leading bytes checkSuperblock needs (ext4's magic ends at 1024 + 58). */
export const SUPERBLOCK_PROBE_BYTES = EXT4_MAGIC_OFFSET + 2;

/**
 * Checks the superblock magic of the first bytes of a disk (BAD_SUPERBLOCK otherwise).
 * `head` must hold at least SUPERBLOCK_PROBE_BYTES, unless the whole disk is shorter.
 */
export function checkSuperblock(head: Uint8Array, format: DiskFormat): void {
  const bytes = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  if (format === 'erofs') {
    const magic = bytes.length >= SUPERBLOCK_OFFSET + 4 ? bytes.readUInt32LE(SUPERBLOCK_OFFSET) : undefined;
    if (magic !== EROFS_MAGIC) throw badMagic('EROFS', magic, 8);
  } else {
    const magic = bytes.length >= SUPERBLOCK_PROBE_BYTES ? bytes.readUInt16LE(EXT4_MAGIC_OFFSET) : undefined;
    if (magic !== EXT4_MAGIC) throw badMagic('ext4', magic, 4);
  }
}

function badMagic(format: string, found: number | undefined, width: number): BuilderError {
  const seen = found === undefined ? 'the disk is too short to hold one' : `found magic 0x${found.toString(16).padStart(width, '0')}`;
  return new BuilderError('BAD_SUPERBLOCK', `not an ${format} disk: ${seen}`);
}
