// Whiteouts and opaque markers, applied the moment they are read: they remove
// lower-layer content only. A path the current layer wrote, or one on the way
// to something it wrote, survives; a directory among them is descended into so
// its lower-layer children still go. Because the current layer's writes are
// known whatever the tar order, `.wh.x` before or after a same-layer `x` gives
// the same tree: lower x gone, the layer's x present.
import type { Stats } from 'node:fs';
import { joinPath } from './paths.js';

export interface DirEntry {
  name: string;
  isDir: boolean;
  isLink: boolean;
}

/** The extractor state and fs calls the removal walk needs. */
export interface TreeOwner {
  readonly written: ReadonlySet<string>;
  readonly writtenAncestors: ReadonlySet<string>;
  readonly resolver: { invalidate(): void };
  lstat(path: string): Stats | undefined;
  readdir(path: string): DirEntry[];
  unlink(path: string): void;
  rmdir(path: string): void;
}

function keptByThisLayer(owner: TreeOwner, path: string): boolean {
  return owner.written.has(path) || owner.writtenAncestors.has(path);
}

/** `.wh.NAME`: removes `path` (a resolved path) and everything below it that lower layers wrote. */
export function removeLowerPath(owner: TreeOwner, path: string): void {
  const st = owner.lstat(path);
  if (st === undefined) return;
  if (keptByThisLayer(owner, path)) {
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
    if (keptByThisLayer(owner, path)) {
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
