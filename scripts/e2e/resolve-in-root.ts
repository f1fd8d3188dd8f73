// How a path resolves inside a mounted image, as a process chrooted there would
// see it (absolute link targets re-rooted at the image), hop by hop: what the
// demo shows for /bin/sh. Directories are resolved by the layer engine's own
// RootResolver; the final component is followed here.
import { lstatSync, readlinkSync } from 'node:fs';
import { joinPath, normaliseEntryName, RootResolver, splitPath } from '../../agent/layers/paths.js';

const MAX_HOPS = 40;

export interface Resolution {
  /** Each path looked at, '/'-rooted, with the link it was when it was one. */
  hops: Array<{ path: string; linkTo?: string }>;
  /** The final target, '/'-rooted; undefined when something on the way is missing. */
  target?: string;
  kind?: 'file' | 'directory' | 'other';
  size?: number;
  mode?: number;
}

export function resolveInRoot(root: string, path: string): Resolution {
  const resolver = new RootResolver(root, {
    syscall: () => undefined,
    createImplicitDir: () => {
      throw new Error('read-only lookup');
    },
  });
  const hops: Resolution['hops'] = [];
  let current = normaliseEntryName(path);
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const [dir, base] = splitPath(current);
    const realDir = resolver.resolveDir(dir, false);
    if (realDir === null) return { hops };
    const real = joinPath(realDir, base);
    const stat = lstatSync(resolver.full(real), { throwIfNoEntry: false });
    if (stat === undefined) return { hops: [...hops, { path: `/${real}` }] };
    if (!stat.isSymbolicLink()) {
      hops.push({ path: `/${real}` });
      const kind = stat.isFile() ? 'file' : stat.isDirectory() ? 'directory' : 'other';
      return { hops, target: `/${real}`, kind, size: stat.size, mode: stat.mode & 0o7777 };
    }
    const link = readlinkSync(resolver.full(real));
    hops.push({ path: `/${real}`, linkTo: link });
    current = normaliseEntryName(link.startsWith('/') ? link : joinPath(realDir, link));
  }
  return { hops };
}
