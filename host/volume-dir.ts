// A directory volume: resolve the guest's path one component at a time, each
// relative to a file descriptor already held on its parent, never following a
// symlink, and read the final file through a descriptor on the very inode whose
// type was checked.
//
// Node has no openat(2). Opening "/proc/self/fd/<dirfd>/<name>" is the same
// lookup: the kernel jumps through the magic link to the directory the fd holds
// (by inode, not by path) and resolves only <name> there. With O_PATH|O_NOFOLLOW
// that opens the entry itself (a symlink stays a symlink, a fifo or device is not
// opened at all: no blocking, no driver side effects), fstat says what it is,
// and a regular file is then reopened for reading through "/proc/self/fd/<fd>",
// which again names the inode, not a path. A guest swapping components while
// we walk can make the walk fail, never make it leave the checked inodes.
import { constants, type Stats } from 'node:fs';
import { lstat, open, unlink, type FileHandle } from 'node:fs/promises';
import { BuilderError } from '../proto/errors.js';
import { diskFromFileHandle } from './diskcopy.js';
import { checkComponentType, checkSizeRange, DEFAULT_DISK_SIZE_LIMIT, splitDiskPath, type EntryType } from './validate.js';
import type { OpenDiskOptions, Volume, VolumeDisk } from './volume-types.js';

// Not exported by node:fs. 010000000 on x86, arm, arm64, riscv, s390, ppc (not alpha, parisc, sparc).
const O_PATH = 0o10000000;
const { O_NOFOLLOW, O_DIRECTORY, O_RDONLY, O_NONBLOCK, O_NOCTTY } = constants;

export function openDirectoryVolume(root: string): Volume {
  return {
    kind: 'directory',
    location: root,
    openDisk: (relPath, options) => openDiskInDirectory(root, relPath, options),
    removeDisk: (relPath) => removeDiskInDirectory(root, relPath),
  };
}

async function openDiskInDirectory(root: string, relPath: string, options: OpenDiskOptions = {}): Promise<VolumeDisk> {
  const components = splitDiskPath(relPath);
  const parent = await walkDirectories(root, relPath, components);
  let current: FileHandle;
  try {
    current = await openOrReject(`/proc/self/fd/${parent.fd}/${components.at(-1)!}`, O_PATH | O_NOFOLLOW, relPath);
  } finally {
    await parent.close();
  }
  try {
    const checked = await current.stat();
    checkComponentType(relPath, components, components.length - 1, entryType(checked));
    checkSizeRange(checked.size, options.sizeLimit ?? DEFAULT_DISK_SIZE_LIMIT, `disk ${relPath}`);
    const reader = await openOrReject(`/proc/self/fd/${current.fd}`, O_RDONLY | O_NONBLOCK | O_NOCTTY, relPath);
    const opened = await reader.stat();
    if (opened.ino !== checked.ino || opened.dev !== checked.dev || !opened.isFile()) {
      await reader.close();
      throw new BuilderError('PATH_REJECTED', `disk path ${relPath} changed while it was opened`);
    }
    return diskFromFileHandle(reader, checked.size, relPath);
  } finally {
    await current.close();
  }
}

/**
 * Unlinks the regular file at `relPath`, found by the same symlink-free walk as
 * openDisk: the name is removed in the very directory inode the walk checked,
 * so a swapped parent can never make the host delete outside the volume.
 */
async function removeDiskInDirectory(root: string, relPath: string): Promise<void> {
  const components = splitDiskPath(relPath);
  const parent = await walkDirectories(root, relPath, components);
  try {
    const entry = `/proc/self/fd/${parent.fd}/${components.at(-1)!}`;
    checkComponentType(relPath, components, components.length - 1, entryType(await lstat(entry)));
    await unlink(entry);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new BuilderError('NOT_FOUND', `disk path ${relPath}: no such file on the volume`, { cause: err });
    throw err;
  } finally {
    await parent.close();
  }
}

/**
 * Opens (O_PATH) the directory holding the last of `components`, walking from
 * `root` through real directories only. The volume root is the operator's
 * choice and trusted; it may itself be a symlink.
 */
async function walkDirectories(root: string, relPath: string, components: readonly string[]): Promise<FileHandle> {
  let current = await openOrReject(root, O_PATH | O_DIRECTORY, relPath);
  try {
    for (const [index, name] of components.slice(0, -1).entries()) {
      const next = await openOrReject(`/proc/self/fd/${current.fd}/${name}`, O_PATH | O_NOFOLLOW, relPath);
      await current.close();
      current = next;
      checkComponentType(relPath, components, index, entryType(await current.stat()));
    }
    return current;
  } catch (err) {
    await current.close();
    throw err;
  }
}

async function openOrReject(path: string, flags: number, relPath: string): Promise<FileHandle> {
  try {
    return await open(path, flags);
  } catch (err) {
    const errno = (err as NodeJS.ErrnoException).code;
    if (errno === 'ENOENT') throw new BuilderError('NOT_FOUND', `disk path ${relPath}: no such file on the volume`, { cause: err });
    throw new BuilderError('PATH_REJECTED', `disk path ${relPath}: ${errno ?? (err as Error).message}`, { cause: err });
  }
}

function entryType(info: Stats): EntryType {
  if (info.isFile()) return 'regular file';
  if (info.isDirectory()) return 'directory';
  if (info.isSymbolicLink()) return 'symlink';
  if (info.isFIFO()) return 'fifo';
  if (info.isCharacterDevice()) return 'character device';
  if (info.isBlockDevice()) return 'block device';
  if (info.isSocket()) return 'socket';
  return 'unknown';
}
