// Shared pieces of the orchestrator suites: a small real image (two layers, a
// whiteout, a merged-/usr link, an executable with a config), its expected
// tree, fresh stores, and the check that a stored disk holds exactly that tree.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { openStore, type ImageStore } from '../../host/store.js';
import type { ImageMetadata } from '../../host/metadata.js';
import type { ImageSpec, ExpectedEntry } from '../../testkit/fixtures/spec.js';
import { compareTrees, expectedTreeFromSpec, formatDifferences, snapshotTree, withMountedErofs } from '../../testkit/verify/index.js';

export const APP_SPEC: ImageSpec = {
  layers: [
    {
      entries: [
        { type: 'dir', path: 'usr/bin' },
        { type: 'symlink', path: 'bin', target: 'usr/bin' },
        { type: 'file', path: 'usr/bin/sh', content: { size: 40_000, seed: 7 }, mode: 0o755 },
        { type: 'file', path: 'etc/os-release', content: 'ID=fixture\n' },
        { type: 'file', path: 'tmp/build.log', content: 'scratch\n' },
      ],
    },
    {
      compression: 'zstd',
      entries: [
        { type: 'whiteout', path: 'tmp/build.log' },
        { type: 'file', path: 'usr/bin/app', content: '#!/bin/sh\necho app\n', mode: 0o755 },
        { type: 'dir', path: 'var/lib/app', uid: 1000, gid: 1000, mode: 0o750 },
      ],
    },
  ],
  config: { Entrypoint: ['/usr/bin/app'], Cmd: ['--serve'], Env: ['PATH=/usr/bin', 'APP=1'], WorkingDir: '/var/lib/app', User: '1000:1000' },
};

export const APP_TREE: ExpectedEntry[] = [
  { type: 'dir', path: 'usr/bin' },
  { type: 'symlink', path: 'bin', target: 'usr/bin' },
  { type: 'file', path: 'usr/bin/sh', content: { size: 40_000, seed: 7 }, mode: 0o755 },
  { type: 'file', path: 'etc/os-release', content: 'ID=fixture\n' },
  // The whiteout removed the file, not its (implied) parent.
  { type: 'dir', path: 'tmp' },
  { type: 'file', path: 'usr/bin/app', content: '#!/bin/sh\necho app\n', mode: 0o755 },
  { type: 'dir', path: 'var/lib/app', uid: 1000, gid: 1000, mode: 0o750 },
];

/** The runtime config the store must have recorded from APP_SPEC. */
export const APP_RUNTIME = { entrypoint: ['/usr/bin/app'], cmd: ['--serve'], env: ['PATH=/usr/bin', 'APP=1'], workingDir: '/var/lib/app', user: '1000:1000' };

/** Mounts the EROFS at `diskPath` and requires exactly APP_TREE (implied parents only checked for existence). */
export async function expectAppTree(diskPath: string): Promise<void> {
  const actual = await withMountedErofs(diskPath, (mountpoint) => snapshotTree(mountpoint));
  const differences = compareTrees(actual, expectedTreeFromSpec(APP_TREE), { ignoreRoot: true, ignoreDirMtimes: true });
  expect(formatDifferences(differences)).toBe('');
}

export interface TempStore {
  store: ImageStore;
  dir: string;
  remove(): Promise<void>;
}

export async function tempStore(prefix = 'orchestrate-store-'): Promise<TempStore> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, store: await openStore(join(dir, 'store')), remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Runs `fn` with a fresh store that is removed afterwards, also when `fn` throws. */
export async function withTempStore<T>(fn: (temp: TempStore) => Promise<T>): Promise<T> {
  const temp = await tempStore();
  try {
    return await fn(temp);
  } finally {
    await temp.remove();
  }
}

/** metadata.json of an entry, as written. */
export async function readMetadata(entryDir: string): Promise<ImageMetadata> {
  return JSON.parse(await readFile(join(entryDir, 'metadata.json'), 'utf8')) as ImageMetadata;
}
