// Entry names -> paths inside the root, as if the process were chrooted there.
//
// Names are byte strings (latin1, see tar.ts). Two steps:
// 1. normaliseEntryName: lexical. Leading '/' and './' go, '.' and empty
//    components go, 'a/..' cancels. A name that climbs above the root ('../x',
//    'a/../../x') is refused with UNSAFE_PATH rather than clamped: no honest
//    layer writer produces one, and refusing is what Docker does (umoci clamps;
//    the conformance tests record that difference).
// 2. RootResolver.resolveDir: the directory part resolves inside the root like
//    the kernel would after chroot(root): symlinks in parent components are
//    followed with absolute targets re-rooted at the root, '..' stops at the
//    root, more than 40 links in one lookup is UNSAFE_PATH. The final component
//    is never followed; callers create or remove it with calls that act on the
//    link itself (O_EXCL, symlink, mkdir, mknod, link, unlink, lutimes, ...).
//
// The extractor is the only writer of the tree, so resolving in userspace with
// lstat/readlink is race-free; resolved directories are cached and the cache is
// dropped whenever a directory or symlink is removed or changes type.
import { lstatSync, readlinkSync, type Stats } from 'node:fs';
import { BuilderError } from '../../proto/errors.js';

const MAX_SYMLINKS = 40;
const NON_ASCII = /[\x80-\uffff]/;

/** A byte-string path as node:fs wants it: the string itself when ASCII, else its bytes. */
export function fsPath(path: string): string | Buffer {
  return NON_ASCII.test(path) ? Buffer.from(path, 'latin1') : path;
}

/** A byte-string name for messages: UTF-8 when it is, escaped bytes otherwise. */
export function displayName(name: string): string {
  return JSON.stringify(Buffer.from(name, 'latin1').toString('utf8'));
}

/**
 * Normalises a tar entry name to a path relative to the root, '' meaning the root.
 * Throws UNSAFE_PATH for names that climb above the root or contain NUL.
 */
export function normaliseEntryName(name: string): string {
  if (name.includes('\0')) throw new BuilderError('UNSAFE_PATH', `entry name with a NUL byte: ${displayName(name)}`);
  // Fast path: already clean (the usual case for real layers).
  if (name !== '' && name[0] !== '/' && !/(^|\/)\.{0,2}(\/|$)/.test(name)) return name;
  const out: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) throw new BuilderError('UNSAFE_PATH', `entry name climbs above the root: ${displayName(name)}`);
      out.pop();
      continue;
    }
    out.push(part);
  }
  return out.join('/');
}

/** Splits a normalised path into its directory ('' for the root) and last component. */
export function splitPath(path: string): [dir: string, base: string] {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? ['', path] : [path.slice(0, slash), path.slice(slash + 1)];
}

export function joinPath(dir: string, base: string): string {
  return dir === '' ? base : `${dir}/${base}`;
}

/** What the resolver needs from its owner: counting, and creating missing directories. */
export interface ResolverHost {
  syscall(): void;
  /** Creates `path` (relative, its parent exists) as an implicit directory. */
  createImplicitDir(path: string): void;
}

/** Thrown inside a lookup when a component is missing and nothing may be created. */
class MissingComponent extends Error {}
const MISSING = new MissingComponent('missing path component');

export class RootResolver {
  /** Directory as named (normalised) -> the real directory it resolves to (relative, no symlinks). */
  private readonly cache = new Map<string, string>();

  constructor(
    private readonly root: string,
    private readonly host: ResolverHost,
  ) {}

  /** Absolute host path of a resolved relative path. */
  full(path: string): string {
    return path === '' ? this.root : `${this.root}/${path}`;
  }

  /**
   * Resolves a normalised directory path to a real directory inside the root,
   * creating missing components as implicit directories when `create` is set.
   * Returns null when something is missing and `create` is not set.
   * Throws INVALID_LAYER when a component is not a directory, UNSAFE_PATH on symlink loops.
   */
  resolveDir(dir: string, create: boolean): string | null {
    try {
      return this.resolveCached(dir, create);
    } catch (err) {
      if (err === MISSING) return null;
      throw err;
    }
  }

  /** Records that `dir` (as named) now is the real directory `resolved` (the extractor just made it). */
  remember(dir: string, resolved: string): void {
    this.cache.set(dir, resolved);
  }

  /** Forgets every cached resolution; call after removing or retyping a directory or symlink. */
  invalidate(): void {
    this.cache.clear();
  }

  private resolveCached(dir: string, create: boolean): string {
    if (dir === '') return '';
    const cached = this.cache.get(dir);
    if (cached !== undefined) return cached;
    const [parentDir, base] = splitPath(dir);
    const parent = this.resolveCached(parentDir, create);
    const resolved = this.step(parent, base, create, { links: 0, name: dir });
    this.cache.set(dir, resolved);
    return resolved;
  }

  /** One component under a real directory; follows it if it is a symlink; the result is a real directory. */
  private step(parent: string, name: string, create: boolean, state: { links: number; name: string }): string {
    const candidate = joinPath(parent, name);
    const st = this.lstat(candidate);
    if (st === undefined) {
      if (!create) throw MISSING;
      this.host.createImplicitDir(candidate);
      return candidate;
    }
    if (st.isDirectory()) return candidate;
    if (st.isSymbolicLink()) {
      if (++state.links > MAX_SYMLINKS) {
        throw new BuilderError('UNSAFE_PATH', `too many levels of symbolic links resolving ${displayName(state.name)}`);
      }
      this.host.syscall();
      const target = readlinkSync(fsPath(this.full(candidate)), 'latin1');
      return this.walk(target.startsWith('/') ? '' : parent, target, create, state);
    }
    throw new BuilderError('INVALID_LAYER', `parent ${displayName(candidate)} of an entry is not a directory (resolving ${displayName(state.name)})`);
  }

  private walk(start: string, path: string, create: boolean, state: { links: number; name: string }): string {
    let current = start;
    for (const part of path.split('/')) {
      if (part === '' || part === '.') continue;
      if (part === '..') {
        current = splitPath(current)[0];
        continue;
      }
      current = this.step(current, part, create, state);
    }
    return current;
  }

  private lstat(path: string): Stats | undefined {
    this.host.syscall();
    return lstatSync(fsPath(this.full(path)), { throwIfNoEntry: false });
  }
}
