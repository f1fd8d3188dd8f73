// What "right" means for the benchmark: the reference tree of an image is the
// incumbent's (`umoci unpack`, the project's reference for correct, which
// agrees with the layer rules on every image of the set: test/layers-umoci),
// made once per image outside the clock. One departure of umoci from the rules
// is taken out: a directory no layer has an entry for (a parent umoci creates
// on its own) gets the time of the unpack from umoci and the time of the entry
// that needed it from the rules (ARCHITECTURE, layers-umoci), so directories
// umoci stamped during the unpack are compared by type only, as the verifier's
// implied directories are. A path's disk is loop-mounted and
// compared with it by the tree verifier (test/verify), attribute by attribute:
// a fast wrong answer shows up as wrong, not as fast.
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { compareTrees, formatDifferences, snapshotTree, withMountedErofs, type TreeSnapshot } from '../../testkit/verify/index.js';
import { incumbentPath } from './incumbent.js';
import { MeasuredRun } from './measure.js';

export interface TreeCheck {
  differences: number;
  /** The first few differences, one line each. */
  sample: string[];
}

const SAMPLE = 5;

/** The incumbent's tree of `reference`, snapshotted (content hashes included); its scratch is removed. */
export async function referenceTree(reference: string, scratchDir: string): Promise<TreeSnapshot> {
  const work = mkdtempSync(join(scratchDir, 'reference-'));
  try {
    const started = Math.floor(Date.now() / 1000);
    const result = await incumbentPath(new MeasuredRun([]), reference, work, join(work, 'reference.erofs'));
    const tree = await snapshotTree(result.rootfs);
    for (const entry of tree.values()) if (entry.type === 'dir' && entry.mtime >= started) entry.implied = true;
    return tree;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Every difference between the mounted `disk` and the reference tree. */
export async function checkDisk(disk: string, expected: TreeSnapshot): Promise<TreeCheck> {
  const differences = await withMountedErofs(disk, async (mountpoint) => compareTrees(await snapshotTree(mountpoint), expected));
  return { differences: differences.length, sample: formatDifferences(differences.slice(0, SAMPLE)).split('\n').filter(Boolean) };
}
