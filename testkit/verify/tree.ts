// The snapshot shape both sides of a comparison share: a real directory
// (snapshotTree) and a hand-written expected tree (expectedTreeFromSpec).

export type EntryType = 'file' | 'dir' | 'symlink' | 'char' | 'block' | 'fifo' | 'socket';

export interface TreeEntry {
  /** Relative to the tree root, '/'-separated, no leading './'; the root itself is '.'. */
  path: string;
  type: EntryType;
  /** Permission bits incl. setuid/setgid/sticky (mode & 0o7777). */
  mode: number;
  uid: number;
  gid: number;
  /** Whole seconds since the epoch. */
  mtime: number;
  /** Nanoseconds within the second (compared only with `mtimeNanoseconds`). */
  mtimeNs: number;
  /** Files only. */
  size?: number;
  /** Files only: hex sha256 of the content. */
  sha256?: string;
  /** Symlinks only. */
  target?: string;
  /** Char and block devices only. */
  major?: number;
  minor?: number;
  /** Every extended attribute, values as bytes. */
  xattrs: Map<string, Buffer>;
  /** The other paths in the tree sharing this entry's inode, sorted; empty when none. */
  hardlinks: string[];
  /**
   * Set on directories an expected tree only implies (parents of listed
   * entries): for them only existence and type are checked.
   */
  implied?: boolean;
}

export type TreeSnapshot = Map<string, TreeEntry>;

/** Normalises a spec or tar-style path to the snapshot form ('a/b', root '.'). */
export function normalizeTreePath(path: string): string {
  const parts = path.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.includes('..')) throw new Error(`tree path must not contain '..': ${JSON.stringify(path)}`);
  return parts.length === 0 ? '.' : parts.join('/');
}

export function parentPath(path: string): string | undefined {
  if (path === '.') return undefined;
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '.' : path.slice(0, slash);
}

/** Fills in every entry's `hardlinks` from groups of paths sharing one inode. */
export function assignHardlinks(tree: TreeSnapshot, groups: Iterable<string[]>): void {
  for (const group of groups) {
    if (group.length < 2) continue;
    const sorted = [...group].sort();
    for (const path of sorted) {
      const entry = tree.get(path);
      if (entry) entry.hardlinks = sorted.filter((other) => other !== path);
    }
  }
}
