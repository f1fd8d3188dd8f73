// Writes an expected tree into a real directory: the source for mkfs tests and
// the reference a verifier test starts from. Needs root for owners, devices and trusted.* xattrs.
import { writeFileSync } from 'node:fs';
import { chmod, lchown, link, lutimes, mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { fsextra } from '../../agent/native/fsextra.js';
import { contentBytes } from '../fixtures/content.js';
import type { ContentSpec, ExpectedEntry } from '../fixtures/spec.js';
import { expectedTreeFromSpec } from './expected.js';
import { normalizeTreePath, type TreeEntry } from './tree.js';

const S_IFCHR = 0o020000;
const S_IFBLK = 0o060000;
const S_IFIFO = 0o010000;

async function create(absolute: string, entry: TreeEntry, content: ContentSpec | undefined): Promise<void> {
  switch (entry.type) {
    case 'dir':
      await mkdir(absolute, { recursive: true });
      break;
    case 'file':
      writeFileSync(absolute, contentBytes(content), { flag: 'wx', mode: 0o600 });
      break;
    case 'symlink':
      await symlink(entry.target as string, absolute);
      break;
    case 'char':
    case 'block':
      fsextra.mknod(absolute, entry.type === 'char' ? S_IFCHR : S_IFBLK, entry.major as number, entry.minor as number);
      break;
    case 'fifo':
      fsextra.mknod(absolute, S_IFIFO, 0, 0);
      break;
    case 'socket':
      throw new Error(`${entry.path}: sockets cannot be described by a spec`);
  }
  // Owner first: chown clears setuid/setgid and security.capability.
  await lchown(absolute, entry.uid, entry.gid);
  if (entry.type !== 'symlink') await chmod(absolute, entry.mode);
  for (const [name, value] of entry.xattrs) fsextra.lsetxattr(absolute, name, value);
}

/**
 * Creates `entries` (spec.ts vocabulary, same normalisation and defaults as
 * expectedTreeFromSpec) below the existing directory `root`, with implied
 * parents as default directories, hardlinks as real links and every mtime
 * set last. snapshotTree(root) then equals expectedTreeFromSpec(entries).
 */
export async function writeTree(root: string, entries: readonly ExpectedEntry[]): Promise<void> {
  const tree = expectedTreeFromSpec(entries);
  const contents = new Map<string, ContentSpec | undefined>();
  for (const spec of entries) if (spec.type === 'file') contents.set(normalizeTreePath(spec.path), spec.content);

  const byDepth = [...tree.values()].sort((a, b) => a.path.split('/').length - b.path.split('/').length || (a.path < b.path ? -1 : 1));
  const created = new Set<string>();
  for (const entry of byDepth) {
    const absolute = entry.path === '.' ? root : join(root, entry.path);
    const linkTo = entry.hardlinks.find((other) => created.has(other));
    if (linkTo !== undefined) {
      await link(join(root, linkTo), absolute);
    } else {
      const content = [entry.path, ...entry.hardlinks].map((p) => contents.get(p)).find((c) => c !== undefined);
      await create(absolute, entry, content);
    }
    created.add(entry.path);
  }
  // Deepest first is not needed (a child's utime leaves its parent alone), but every creation must be done.
  for (const entry of byDepth) {
    const absolute = entry.path === '.' ? root : join(root, entry.path);
    await lutimes(absolute, entry.mtime, entry.mtime);
  }
}
