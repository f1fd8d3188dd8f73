// Records a real directory tree, without following symlinks, as a TreeSnapshot.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, opendir, readFile, readlink, realpath } from 'node:fs/promises';
import type { BigIntStats } from 'node:fs';
import { join } from 'node:path';
import { fsextra } from '../../agent/native/fsextra.js';
import { assignHardlinks, type EntryType, type TreeEntry, type TreeSnapshot } from './tree.js';

export interface SnapshotOptions {
  /** How many entries are inspected (lstat, xattrs, hashing) at once. Default 32. */
  concurrency?: number;
}

/** Files up to this size are read in one call; bigger ones are streamed through the hash. */
const READ_WHOLE_LIMIT = 1 << 20;

const S_IFMT = 0o170000n;
const TYPES = new Map<bigint, EntryType>([
  [0o100000n, 'file'],
  [0o040000n, 'dir'],
  [0o120000n, 'symlink'],
  [0o020000n, 'char'],
  [0o060000n, 'block'],
  [0o010000n, 'fifo'],
  [0o140000n, 'socket'],
]);

/** glibc's gnu_dev_major/gnu_dev_minor: the Linux encoding of a 64-bit dev_t. */
export function decodeDevice(rdev: bigint): { major: number; minor: number } {
  const major = ((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & ~0xfffn);
  const minor = (rdev & 0xffn) | ((rdev >> 12n) & ~0xffn);
  return { major: Number(major), minor: Number(minor) };
}

async function sha256OfFile(path: string, size: number): Promise<string> {
  const hash = createHash('sha256');
  if (size <= READ_WHOLE_LIMIT) {
    hash.update(await readFile(path));
  } else {
    for await (const chunk of createReadStream(path, { highWaterMark: READ_WHOLE_LIMIT })) hash.update(chunk as Buffer);
  }
  return hash.digest('hex');
}

function readXattrs(path: string): Map<string, Buffer> {
  const xattrs = new Map<string, Buffer>();
  let names: string[];
  try {
    names = fsextra.llistxattr(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOTSUP') return xattrs;
    throw err;
  }
  for (const name of names.sort()) xattrs.set(name, fsextra.lgetxattr(path, name));
  return xattrs;
}

async function inspect(absolute: string, path: string, st: BigIntStats): Promise<TreeEntry> {
  const type = TYPES.get(st.mode & S_IFMT);
  if (type === undefined) throw new Error(`${absolute}: unknown file type ${(st.mode & S_IFMT).toString(8)}`);
  const entry: TreeEntry = {
    path,
    type,
    mode: Number(st.mode & 0o7777n),
    uid: Number(st.uid),
    gid: Number(st.gid),
    mtime: Number(st.mtimeNs / 1_000_000_000n),
    mtimeNs: Number(st.mtimeNs % 1_000_000_000n),
    xattrs: readXattrs(absolute),
    hardlinks: [],
  };
  if (type === 'file') {
    entry.size = Number(st.size);
    entry.sha256 = await sha256OfFile(absolute, entry.size);
  } else if (type === 'symlink') {
    entry.target = await readlink(absolute);
  } else if (type === 'char' || type === 'block') {
    Object.assign(entry, decodeDevice(st.rdev));
  }
  return entry;
}

/**
 * Walks `root` (which must be a directory; a symlink given as root is
 * resolved) and records every entry below it, plus the root itself as '.'.
 */
export async function snapshotTree(root: string, options: SnapshotOptions = {}): Promise<TreeSnapshot> {
  const base = await realpath(root);
  const rootStat = await lstat(base, { bigint: true });
  if (!rootStat.isDirectory()) throw new Error(`${root} is not a directory`);

  const tree: TreeSnapshot = new Map();
  const inodes = new Map<string, string[]>();
  const queue: string[] = ['.'];
  const concurrency = Math.max(1, options.concurrency ?? 32);
  let active = 0;
  let failure: unknown;

  // Each worker takes one path: inspects it and, for a directory, queues its children.
  const visit = async (path: string): Promise<void> => {
    const absolute = path === '.' ? base : join(base, path);
    const st = await lstat(absolute, { bigint: true });
    const entry = await inspect(absolute, path, st);
    tree.set(path, entry);
    if (entry.type !== 'dir' && st.nlink > 1n) {
      const key = `${st.dev}:${st.ino}`;
      const group = inodes.get(key);
      if (group) group.push(path);
      else inodes.set(key, [path]);
    }
    if (entry.type === 'dir') {
      const dir = await opendir(absolute, { bufferSize: 256 });
      for await (const child of dir) queue.push(path === '.' ? child.name : `${path}/${child.name}`);
    }
  };

  await new Promise<void>((resolve, reject) => {
    const pump = (): void => {
      if (failure !== undefined) {
        if (active === 0) reject(failure instanceof Error ? failure : new Error(String(failure)));
        return;
      }
      if (queue.length === 0 && active === 0) {
        resolve();
        return;
      }
      while (active < concurrency && queue.length > 0) {
        const path = queue.pop() as string;
        active++;
        visit(path).then(
          () => {
            active--;
            pump();
          },
          (err: unknown) => {
            active--;
            failure ??= err;
            pump();
          },
        );
      }
    };
    pump();
  });

  assignHardlinks(tree, inodes.values());
  return tree;
}
