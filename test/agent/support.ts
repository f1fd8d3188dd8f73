// Checks shared by the end-to-end tests of the real pipeline.
import { readdir, readFile } from 'node:fs/promises';
import { expect } from 'vitest';
import { compareTrees, expectedTreeFromSpec, formatDifferences, snapshotTree, withMountedErofs } from '../../testkit/verify/index.js';
import { sampleExpected } from './sample-image.js';

/** Loop-mounts the disk and compares it with the sample image's expected tree. */
export async function expectSampleDisk(disk: string, type: 'erofs' | 'ext4' = 'erofs'): Promise<void> {
  const differences = await withMountedErofs(disk, async (mountpoint) => compareTrees(await snapshotTree(mountpoint), expectedTreeFromSpec(sampleExpected), { ignoreRoot: true }), { type });
  expect(formatDifferences(differences)).toBe('');
}

/** No tmpfs is still mounted under `dir`, and no work area directory is left in it. */
export async function expectNoWorkArea(dir: string): Promise<void> {
  const mounts = await readFile('/proc/self/mountinfo', 'utf8');
  expect(mounts.split('\n').filter((line) => line.includes(` ${dir}/`))).toEqual([]);
  expect((await readdir(dir)).filter((name) => name.startsWith('erofs-builder-work-'))).toEqual([]);
}
