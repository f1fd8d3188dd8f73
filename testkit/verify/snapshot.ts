// Records a real directory tree, without following symlinks, as a TreeSnapshot.
import { createHash } from 'node:crypto';
import { createReadStream, lstatSync, readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import type { BigIntStats } from 'node:fs';
import { join } from 'node:path';
import { fsextra } from '../../agent/native/fsextra.js';
import { assignHardlinks, type EntryType, type TreeEntry, type TreeSnapshot } from './tree.js';

export interface SnapshotOptions {
  /** How many big files are hashed at once. Default 4. */
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
  const major = ((rdev & 0xfff00n) >> 8n) | ((rdev & 0xfffff00000000000n) >> 32n);
  const minor = (rdev & 0xffn) | ((rdev & 0xffffff00000n) >> 12n);
  return { major: Number(major), minor: Number(minor) };
}

async function sha256OfStream(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: READ_WHOLE_LIMIT })) hash.update(chunk as Buffer);
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

/** Everything but a big file's hash, synchronously: per-call thread-pool hops cost 4x the syscalls. */
function inspect(absolute: string, path: string, st: BigIntStats): TreeEntry {
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
    if (entry.size <= READ_WHOLE_LIMIT) entry.sha256 = createHash('sha256').update(readFileSync(absolute)).digest('hex');
  } else if (type === 'symlink') {
    entry.target = readlinkSync(absolute);
  } else if (type === 'char' || type === 'block') {
    Object.assign(entry, decodeDevice(st.rdev));
  }
  return entry;
}

/**
 * Walks `root` (which must be a directory; a symlink given as root is
 * resolved) and records every entry below it, plus the root itself as '.'.
 * Metadata and small files are read synchronously, yielding to the event loop
 * every few hundred entries; files over 1 MiB are hashed as streams, at most
 * `concurrency` at once.
 */
export async function snapshotTree(root: string, options: SnapshotOptions = {}): Promise<TreeSnapshot> {
  const base = realpathSync(root);
  if (!lstatSync(base).isDirectory()) throw new Error(`${root} is not a directory`);
  const concurrency = Math.max(1, options.concurrency ?? 4);

  const tree: TreeSnapshot = new Map();
  const inodes = new Map<string, string[]>();
  const hashing = new Set<Promise<void>>();
  let failure: Error | undefined;
  const stack: string[] = ['.'];
  for (let visited = 1; stack.length > 0; visited++) {
    const path = stack.pop() as string;
    const absolute = path === '.' ? base : join(base, path);
    const st = lstatSync(absolute, { bigint: true });
    const entry = inspect(absolute, path, st);
    tree.set(path, entry);
    if (entry.type === 'dir') {
      for (const name of readdirSync(absolute)) stack.push(path === '.' ? name : `${path}/${name}`);
    } else if (st.nlink > 1n) {
      const key = `${st.dev}:${st.ino}`;
      const group = inodes.get(key);
      if (group) group.push(path);
      else inodes.set(key, [path]);
    }
    if (entry.type === 'file' && entry.sha256 === undefined) {
      while (hashing.size >= concurrency) await Promise.race(hashing);
      const job: Promise<void> = sha256OfStream(absolute).then(
        (sha256) => {
          entry.sha256 = sha256;
        },
        (err: unknown) => {
          failure ??= err as Error; // fs streams only reject with Errors
        },
      );
      hashing.add(job);
      void job.finally(() => hashing.delete(job));
    }
    if (failure) break;
    if (visited % 512 === 0) await new Promise((done) => setImmediate(done));
  }
  await Promise.all(hashing);
  if (failure) throw failure;

  assignHardlinks(tree, inodes.values());
  return tree;
}
