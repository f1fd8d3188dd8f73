// A two-layer image for the end-to-end tests of the real pipeline: every entry
// type with exact metadata (gzip), then a zstd layer that deletes, replaces and
// adds; and the tree its disk must hold.
import type { ExpectedEntry, ImageSpec } from '../../testkit/fixtures/index.js';
import { everyType, everyTypeExpected } from '../layers/specs.js';

const T2 = 1_650_000_000;

export const sampleImage: ImageSpec = {
  layers: [
    { entries: everyType },
    {
      compression: 'zstd',
      entries: [
        { type: 'whiteout', path: 'links/dangling' },
        { type: 'file', path: 'modes/all', content: 'replaced in layer 2', mode: 0o755, mtime: T2 },
        { type: 'file', path: 'etc/hostname', content: 'sandbox\n', mtime: T2 },
      ],
    },
  ],
  config: { Entrypoint: ['/bin/su'], Cmd: ['-c', 'true'], Env: ['PATH=/usr/bin:/bin'], WorkingDir: '/home/user', User: '1000:1000' },
  created: '2024-05-01T12:00:00Z',
};

export const sampleExpected: ExpectedEntry[] = [
  ...everyTypeExpected.filter((entry) => entry.path !== 'links/dangling' && entry.path !== 'modes/all'),
  { type: 'file', path: 'modes/all', content: 'replaced in layer 2', mode: 0o755, mtime: T2 },
  { type: 'dir', path: 'etc', mtime: T2 },
  { type: 'file', path: 'etc/hostname', content: 'sandbox\n', mtime: T2 },
];

/** One layer of `count` incompressible 4 MiB files: slow enough through a throttled proxy to cancel mid-layer. */
export function bulkyImage(count: number, seed: number): ImageSpec {
  return {
    layers: [{ entries: Array.from({ length: count }, (_, i) => ({ type: 'file' as const, path: `data/blob-${i}`, content: { size: 4 * 1024 * 1024, seed: seed + i } })) }],
  };
}
