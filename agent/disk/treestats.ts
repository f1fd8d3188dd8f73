// One lstat walk of a staged root, counting what an ext4 image has to hold:
// inodes, 4 KiB data blocks, directory blocks, slow symlinks, xattrs that do
// not fit in the inode. Hardlinked inodes count once. Synchronous calls (a
// thread-pool hop per lstat costs several times the syscall), with a yield to
// the event loop every few thousand entries so progress and cancel still flow.
import { lstatSync, readdirSync, readlinkSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { fsextra } from '../native/fsextra.js';

const BLOCK = 4096;
/** ext4 stores a symlink target of up to 59 bytes inside the inode ("fast symlink"). */
const FAST_SYMLINK_MAX = 59;
/** In-inode xattr space of a 256-byte inode with i_extra_isize 32: 256 - 128 - 32, less the 4-byte magic and 4-byte end marker. */
const IN_INODE_XATTR_BYTES = 256 - 128 - 32 - 8;
/** Bytes ext4 keeps at the end of each directory block for the metadata_csum tail. */
const DIR_BLOCK_PAYLOAD = BLOCK - 12;
/** ext4 extent: at most 32768 blocks (128 MiB); 4 fit in the inode, 340 in each extent block. */
const EXTENT_BLOCKS = 32768;

export interface TreeStats {
  /** Distinct inodes, the root included. */
  inodes: number;
  /** Directory entries (names), the root excluded: hardlinks count once each. */
  entries: number;
  directories: number;
  /** Sum of regular file sizes, each inode once. */
  fileBytes: number;
  /** ceil(size / 4096) summed over regular files. */
  dataBlocks: number;
  /** Blocks of directory entries (linear directories, 12-byte checksum tail per block). */
  directoryBlocks: number;
  /** Symlinks whose target does not fit in the inode: one block each. */
  symlinkBlocks: number;
  /** Inodes whose xattrs overflow the in-inode space: one external block each. */
  xattrBlocks: number;
  /** Extent tree blocks of files longer than four 128 MiB extents. */
  extentBlocks: number;
}

export async function collectTreeStats(root: string, signal?: AbortSignal): Promise<TreeStats> {
  const stats: TreeStats = {
    inodes: 0,
    entries: 0,
    directories: 0,
    fileBytes: 0,
    dataBlocks: 0,
    directoryBlocks: 0,
    symlinkBlocks: 0,
    xattrBlocks: 0,
    extentBlocks: 0,
  };
  signal?.throwIfAborted();
  const seen = new Set<string>();
  const pending = [root];
  countInode(root, lstatSync(root), stats, seen);
  let sinceYield = 0;
  while (pending.length > 0) {
    const dir = pending.pop() as string;
    let direntBytes = 2 * 12; // "." and ".."
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const st = lstatSync(path);
      stats.entries++;
      direntBytes += 8 + Math.ceil(Buffer.byteLength(name) / 4) * 4;
      if (countInode(path, st, stats, seen) && st.isDirectory()) pending.push(path);
    }
    stats.directoryBlocks += Math.ceil(direntBytes / DIR_BLOCK_PAYLOAD);
    sinceYield += 1;
    if (sinceYield >= YIELD_EVERY_DIRS) {
      sinceYield = 0;
      await yieldToEventLoop();
      signal?.throwIfAborted();
    }
  }
  return stats;
}

const YIELD_EVERY_DIRS = 64;

/** Adds one inode's blocks; false when the inode was already counted (a hardlink). */
function countInode(path: string, st: Stats, stats: TreeStats, seen: Set<string>): boolean {
  if (st.nlink > 1 && !st.isDirectory()) {
    const key = `${st.dev}:${st.ino}`;
    if (seen.has(key)) return false;
    seen.add(key);
  }
  stats.inodes++;
  if (st.isDirectory()) stats.directories++;
  if (st.isFile()) {
    const blocks = Math.ceil(st.size / BLOCK);
    stats.fileBytes += st.size;
    stats.dataBlocks += blocks;
    const extents = Math.ceil(blocks / EXTENT_BLOCKS);
    if (extents > 4) stats.extentBlocks += Math.ceil(extents / 340);
  } else if (st.isSymbolicLink()) {
    if (Buffer.byteLength(readlinkSync(path)) > FAST_SYMLINK_MAX) stats.symlinkBlocks++;
  }
  if (xattrBytes(path) > IN_INODE_XATTR_BYTES) stats.xattrBlocks++;
  return true;
}

/** In-inode bytes the xattrs of `path` need: a 16-byte entry plus name and value, each padded to 4. */
function xattrBytes(path: string): number {
  let total = 0;
  for (const name of fsextra.llistxattr(path)) {
    const value = fsextra.lgetxattr(path, name);
    const suffix = name.slice(name.indexOf('.') + 1);
    total += 16 + Math.ceil(Buffer.byteLength(suffix) / 4) * 4 + Math.ceil(value.length / 4) * 4;
  }
  return total;
}
