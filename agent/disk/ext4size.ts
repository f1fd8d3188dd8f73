// How big the sparse file for `mkfs.ext4 -d` must be. Measured with
// e2fsprogs 1.47.0 (4 KiB blocks, 256-byte inodes, no journal, no resize
// inode, -m 0) by bisecting the smallest size in MiB that mkfs.ext4 -d accepts,
// against content = data + directory + slow-symlink + external-xattr + extent
// blocks and the inode table (inodes x 256):
//
//   tree                          content   inode table   smallest   rest
//   Debian minbase (6673 inodes)  126.8 MiB  1.6 MiB      130 MiB    1.6 MiB
//   20k x 100 B in 100 dirs        78.5 MiB  4.9 MiB       84 MiB    0.6 MiB
//   20k x 300 B in one dir         78.9 MiB  4.9 MiB       84 MiB    0.2 MiB
//   two files, 600 + 700 MiB     1300.0 MiB  0             1301 MiB   1.0 MiB
//   5000 files, 200 B xattrs       39.1 MiB  1.2 MiB       41 MiB    0.6 MiB
//   10k empty directories          39.2 MiB  2.5 MiB       42 MiB    0.3 MiB
//   empty root                      0         0              1 MiB    1.0 MiB
//
// "rest" (bitmaps, group descriptors, superblock copies, lost+found, htree
// index blocks, rounding of inodes per group) stays under 1.3% of content +
// 1 MiB, so the model is:
//
//   bytes  = roundUp(2 MiB + 1.02 x content + 256 x inodes [+ journal], 1 MiB)
//   inodes = counted inodes + 1% + 64
//   journal (only on request) = 4 MiB below 128 MiB, else 16 MiB; mke2fs
//   wants the journal to be at most half the filesystem, so bytes >= 2 x journal + 1 MiB.
//
// The image is sparse: slack costs apparent size, not disk blocks.
import type { TreeStats } from './treestats.js';

const MiB = 1024 * 1024;
const BLOCK = 4096;
const INODE_SIZE = 256;

export const EXT4_MODEL = {
  fixedBytes: 2 * MiB,
  contentFactor: 1.02,
  inodeBytes: INODE_SIZE,
  inodeHeadroom: { factor: 1.01, extra: 64 },
  roundTo: MiB,
  /** Journal sizes when a journal is asked for (read-only roots normally go without): small below 128 MiB. */
  journal: { smallBytes: 4 * MiB, bytes: 16 * MiB, smallBelow: 128 * MiB },
} as const;

export interface Ext4Size {
  bytes: number;
  inodes: number;
  /** Journal size; 0 or absent for none. */
  journalBytes?: number;
}

const roundUp = (bytes: number): number => Math.ceil(bytes / EXT4_MODEL.roundTo) * EXT4_MODEL.roundTo;

export function ext4SizeFor(stats: TreeStats, options: { journal?: boolean } = {}): Ext4Size {
  const m = EXT4_MODEL;
  const inodes = Math.ceil(stats.inodes * m.inodeHeadroom.factor) + m.inodeHeadroom.extra;
  const contentBlocks = stats.dataBlocks + stats.directoryBlocks + stats.symlinkBlocks + stats.xattrBlocks + stats.extentBlocks;
  const base = m.fixedBytes + m.contentFactor * contentBlocks * BLOCK + m.inodeBytes * inodes;
  if (!options.journal) return { bytes: roundUp(base), inodes };
  const journalBytes = base < m.journal.smallBelow ? m.journal.smallBytes : m.journal.bytes;
  return { bytes: roundUp(Math.max(base + journalBytes, 2 * journalBytes + MiB)), inodes, journalBytes };
}

/** The size for a second attempt after the first did not fit: a quarter more, at least 64 MiB more. */
export function grownExt4Size(previous: Ext4Size): Ext4Size {
  const bytes = Math.max(Math.ceil(previous.bytes * 1.25), previous.bytes + 64 * MiB);
  return { ...previous, bytes: roundUp(bytes), inodes: Math.ceil(previous.inodes * 1.25) + 1024 };
}
