// Whiteouts and opaque markers, applied the moment they are read: they remove
// lower-layer content only. A path the current layer wrote, or one on the way
// to something it wrote, survives; a directory among them is descended into so
// its lower-layer children still go. Because the current layer's writes are
// known whatever the tar order, `.wh.x` before or after a same-layer `x` gives
// the same tree: lower x gone, the layer's x present.
import type { Stats } from 'node:fs';
import { joinPath, splitPath } from './paths.js';

/** The paths (resolved, relative) the current layer wrote, and every ancestor of one. */
export class LayerWrites {
  private readonly paths = new Set<string>();
  private readonly ancestors = new Set<string>();

  add(path: string): void {
    this.paths.add(path);
    for (let dir = splitPath(path)[0]; dir !== '' && !this.ancestors.has(dir); dir = splitPath(dir)[0]) this.ancestors.add(dir);
  }

  /** Whether a whiteout must keep `path`: the layer wrote it, or something below it. */
  keeps(path: string): boolean {
    return this.paths.has(path) || this.ancestors.has(path);
  }

  clear(): void {
    this.paths.clear();
    this.ancestors.clear();
  }
}

export interface DirEntry {
  name: string;
  isDir: boolean;
  isLink: boolean;
}

/** The extractor state and fs calls the removal walk needs. */
export interface TreeOwner {
  readonly written: LayerWrites;
  readonly resolver: { invalidate(): void };
  lstat(path: string): Stats | undefined;
  readdir(path: string): DirEntry[];
  unlink(path: string): void;
  rmdir(path: string): void;
}

/** `.wh.NAME`: removes `path` (a resolved path) and everything below it that lower layers wrote. */
export function removeLowerPath(owner: TreeOwner, path: string): void {
  const st = owner.lstat(path);
  if (st === undefined) return;
  if (owner.written.keeps(path)) {
    if (st.isDirectory()) removeLowerChildren(owner, path);
    return;
  }
  removeTree(owner, path, st.isDirectory());
  if (st.isDirectory() || st.isSymbolicLink()) owner.resolver.invalidate();
}

/** `DIR/.wh..wh..opq`: removes every lower-layer child of `dir`; `dir` keeps its own metadata. */
export function removeLowerChildren(owner: TreeOwner, dir: string): void {
  let invalidate = false;
  for (const child of owner.readdir(dir)) {
    const path = joinPath(dir, child.name);
    if (owner.written.keeps(path)) {
      if (child.isDir) removeLowerChildren(owner, path);
      continue;
    }
    removeTree(owner, path, child.isDir);
    invalidate ||= child.isDir || child.isLink;
  }
  if (invalidate) owner.resolver.invalidate();
}

/** rm -rf that never follows a symlink (only directories found by lstat/readdir are entered). */
export function removeTree(owner: TreeOwner, path: string, isDir: boolean): void {
  if (!isDir) {
    owner.unlink(path);
    return;
  }
  for (const child of owner.readdir(path)) removeTree(owner, joinPath(path, child.name), child.isDir);
  owner.rmdir(path);
}
