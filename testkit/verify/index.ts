// The tree verifier: snapshot a directory or a mounted disk, build the expected
// tree from a spec, compare, print every difference.
export type { EntryType, TreeEntry, TreeSnapshot } from './tree.js';
export { normalizeTreePath } from './tree.js';
export { snapshotTree, decodeDevice, type SnapshotOptions } from './snapshot.js';
export { expectedTreeFromSpec } from './expected.js';
export { compareTrees, formatDifferences, formatMode, type CompareOptions, type Difference, type DifferenceAttribute } from './compare.js';
export { withMountedErofs, mountUnavailableReason, loopDevicesOf, isMounted, mountTable, type DiskType, type MountEntry, type MountOptions } from './mount.js';
export { writeTree } from './materialize.js';
