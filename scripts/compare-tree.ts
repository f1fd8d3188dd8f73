#!/usr/bin/env node
// compare-tree ACTUAL EXPECTED: compares a disk image (EROFS or ext4, loop-mounted
// read-only) or a directory with another, printing every difference.
// Exit status: 0 equal, 1 different, 2 usage or error.
import { open, stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { compareTrees, formatDifferences, type CompareOptions } from '../testkit/verify/compare.js';
import { withMountedErofs, type DiskType } from '../testkit/verify/mount.js';
import { snapshotTree } from '../testkit/verify/snapshot.js';
import type { TreeSnapshot } from '../testkit/verify/tree.js';

const USAGE = `usage: compare-tree ACTUAL EXPECTED [--ignore-mtime] [--subset] [--ignore-root]
  ACTUAL, EXPECTED   a directory, or an EROFS/ext4 disk image (loop-mounted read-only; needs root)
  --ignore-mtime     do not compare modification times
  --subset           entries only in ACTUAL are allowed
  --ignore-root      do not compare the root directory's own metadata
exit status: 0 equal, 1 different, 2 usage or error`;

class UsageError extends Error {}

const EROFS_MAGIC = 0xe0f5e1e2; // little-endian u32 at byte 1024
const EXT4_MAGIC = 0xef53; // little-endian u16 at byte 1024 + 0x38

async function diskType(path: string): Promise<DiskType> {
  const file = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await file.read(Buffer.alloc(2048), 0, 2048, 0);
    if (bytesRead >= 1028 && buffer.readUInt32LE(1024) === EROFS_MAGIC) return 'erofs';
    if (bytesRead >= 1024 + 0x3a && buffer.readUInt16LE(1024 + 0x38) === EXT4_MAGIC) return 'ext4';
  } finally {
    await file.close();
  }
  throw new UsageError(`${path} is neither a directory nor an EROFS or ext4 image`);
}

/** Snapshots a directory directly, or a disk image while it is mounted. */
async function snapshotOf(path: string): Promise<TreeSnapshot> {
  const st = await stat(path).catch(() => {
    throw new UsageError(`${path}: no such file or directory`);
  });
  if (st.isDirectory()) return snapshotTree(path);
  if (!st.isFile()) throw new UsageError(`${path} is neither a directory nor a regular file`);
  return withMountedErofs(path, (mountpoint) => snapshotTree(mountpoint), { type: await diskType(path) });
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'ignore-mtime': { type: 'boolean' },
        subset: { type: 'boolean' },
        'ignore-root': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (parsed.values.help) {
    console.log(USAGE);
    return 0;
  }
  const [actualPath, expectedPath, ...rest] = parsed.positionals;
  if (actualPath === undefined || expectedPath === undefined || rest.length > 0) throw new UsageError('expected exactly two paths');

  const options: CompareOptions = {
    mode: parsed.values.subset ? 'subset' : 'exact',
    ignoreMtime: parsed.values['ignore-mtime'] === true,
    ignoreRoot: parsed.values['ignore-root'] === true,
  };
  const actual = await snapshotOf(actualPath);
  const expected = await snapshotOf(expectedPath);
  const differences = compareTrees(actual, expected, options);
  if (differences.length === 0) return 0;
  console.log(formatDifferences(differences));
  console.error(`${differences.length} difference(s)`);
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`compare-tree: ${err instanceof Error ? err.message : String(err)}`);
    if (err instanceof UsageError) console.error(USAGE);
    process.exitCode = 2;
  },
);
