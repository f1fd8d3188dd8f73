// Builds a TreeSnapshot from a hand-written expected final tree (spec.ts vocabulary).
import { contentSha256, contentSize } from '../fixtures/content.js';
import { DEFAULT_MTIME, defaultMode, type EntryMeta, type ExpectedEntry } from '../fixtures/spec.js';
import { assignHardlinks, normalizeTreePath, parentPath, type TreeEntry, type TreeSnapshot } from './tree.js';

function metadata(path: string, type: TreeEntry['type'] & ExpectedEntry['type'], meta: EntryMeta): TreeEntry {
  const xattrs = new Map<string, Buffer>();
  for (const name of Object.keys(meta.xattrs ?? {}).sort()) {
    const value = (meta.xattrs as Record<string, string | Buffer>)[name] as string | Buffer;
    xattrs.set(name, typeof value === 'string' ? Buffer.from(value, 'utf8') : value);
  }
  return {
    path,
    type,
    mode: meta.mode ?? defaultMode(type),
    uid: meta.uid ?? 0,
    gid: meta.gid ?? 0,
    mtime: meta.mtime ?? DEFAULT_MTIME,
    mtimeNs: 0,
    xattrs,
    hardlinks: [],
  };
}

function toTreeEntry(path: string, spec: Exclude<ExpectedEntry, { type: 'hardlink' }>): TreeEntry {
  const entry = metadata(path, spec.type, spec);
  if (spec.type === 'file') {
    entry.size = contentSize(spec.content);
    entry.sha256 = contentSha256(spec.content);
  } else if (spec.type === 'symlink') {
    entry.target = spec.target;
  } else if (spec.type === 'char' || spec.type === 'block') {
    entry.major = spec.major;
    entry.minor = spec.minor;
  }
  return entry;
}

/**
 * The snapshot a directory holding exactly `entries` would give.
 * - Paths are normalised ('/etc/x', './etc/x' and 'etc/x' are one path; '/' is the root '.').
 * - Unset metadata takes the spec.ts defaults (uid/gid 0, mtime DEFAULT_MTIME, defaultMode(type)).
 * - Parents not listed (the root included) become `implied` directories:
 *   only their existence as directories is checked.
 * - A `hardlink` entry is the same inode as its target (resolved through
 *   chains): it takes every attribute from the target, its own metadata is
 *   ignored, and the names form one hardlink group.
 * Throws on duplicate paths, a listed parent that is not a directory, and
 * hardlinks to missing entries, directories or cycles.
 */
export function expectedTreeFromSpec(entries: readonly ExpectedEntry[]): TreeSnapshot {
  const tree: TreeSnapshot = new Map();
  const links = new Map<string, string>();
  for (const spec of entries) {
    const path = normalizeTreePath(spec.path);
    if (tree.has(path) || links.has(path)) throw new Error(`expected tree lists ${path} twice`);
    if (spec.type === 'hardlink') links.set(path, normalizeTreePath(spec.target));
    else tree.set(path, toTreeEntry(path, spec));
  }

  const groups = new Map<string, string[]>();
  for (const [path, firstTarget] of links) {
    let target = firstTarget;
    const seen = new Set([path]);
    while (links.has(target)) {
      if (seen.has(target)) throw new Error(`hardlink cycle through ${path}`);
      seen.add(target);
      target = links.get(target) as string;
    }
    const original = tree.get(target);
    if (!original) throw new Error(`hardlink ${path} -> ${firstTarget}: target is not in the expected tree`);
    if (original.type === 'dir') throw new Error(`hardlink ${path} -> ${firstTarget}: target is a directory`);
    const group = groups.get(target) ?? [target];
    group.push(path);
    groups.set(target, group);
  }
  for (const [target, group] of groups) {
    const original = tree.get(target) as TreeEntry;
    for (const path of group) if (path !== target) tree.set(path, { ...original, path });
  }
  assignHardlinks(tree, groups.values());

  for (const path of [...tree.keys()]) {
    for (let parent = parentPath(path); parent !== undefined; parent = parentPath(parent)) {
      const existing = tree.get(parent);
      if (existing) {
        if (existing.type !== 'dir') throw new Error(`expected tree: ${path} lies under ${parent}, which is a ${existing.type}`);
        continue;
      }
      tree.set(parent, { ...metadata(parent, 'dir', {}), implied: true });
    }
  }
  if (!tree.has('.')) tree.set('.', { ...metadata('.', 'dir', {}), implied: true });
  return tree;
}
