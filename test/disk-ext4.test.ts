// buildExt4 against the real mkfs.ext4, debugfs, e2fsck and a loop mount
// (ro,noload): the mounted disk equals its source (ext4 via e2fsprogs 1.47.0
// keeps whole-second mtimes), rebuilds are byte-identical, the sizing model
// fits a tree of 20k small files on the first try, a too-small size is grown
// once, and failures leave nothing behind.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildExt4 } from '../agent/disk/ext4.js';
import { buildDisk } from '../agent/disk/index.js';
import { ext4SizeFor } from '../agent/disk/ext4size.js';
import { collectTreeStats } from '../agent/disk/treestats.js';
import { CAPABILITY, DISK_TREE } from './disk/tree-spec.js';
import { abortWhileRunning, createScratch, listDir, type Scratch } from './disk/scratch.js';
import { compareTrees, formatDifferences, mountUnavailableReason, snapshotTree, withMountedErofs, writeTree } from '../testkit/verify/index.js';

const DIGEST = `sha256:${'3c'.repeat(32)}`;

const unavailable = mountUnavailableReason();
let scratch: Scratch;
let source: string;
let out: string;

function fsckClean(image: string): void {
  execFileSync('e2fsck', ['-fn', image], { stdio: 'pipe' });
}

beforeAll(async () => {
  if (unavailable) return;
  scratch = await createScratch('disk-ext4');
  // noatime, as the agent's work area: mkfs.ext4 -d copies atimes, and reading the tree must not move them.
  source = await scratch.tmpfs('source', 64 << 20, 'noatime');
  out = await scratch.subdir('out');
  await writeTree(source, DISK_TREE);
});

afterAll(async () => {
  await scratch?.dispose();
});

describe.skipIf(unavailable !== undefined)('buildExt4', () => {
  it('keeps ownership, modes, xattrs, devices, fifos, hardlinks and mtimes (to the second), root included', async () => {
    const disk = await buildExt4(source, join(out, 'disk.ext4'), { manifestDigest: DIGEST, buildTime: 1_700_000_000 });
    expect(disk).toMatchObject({ format: 'ext4', compression: 'none' });
    // Lazy init: mkfs does not write the inode tables or the journal out (the result is sparse, below).
    expect(disk.args.join(' ')).toMatch(/-E lazy_itable_init=1,lazy_journal_init=1,nodiscard,root_owner=7:8,/);
    expect(disk.size % (1 << 20)).toBe(0);
    fsckClean(disk.path);
    const mounted = await withMountedErofs(disk.path, (mountpoint) => snapshotTree(mountpoint), { type: 'ext4' });
    expect(formatDifferences(compareTrees(await snapshotTree(source), mounted))).toBe('');
    expect(mounted.has('lost+found')).toBe(false);
    expect(mounted.get('.')).toMatchObject({ mode: 0o750, uid: 7, gid: 8 });
    expect(mounted.get('usr/bin/ping')?.xattrs.get('security.capability')).toEqual(CAPABILITY);
    // The image is sparse: far fewer blocks allocated than its size.
    expect(statSync(disk.path).blocks * 512).toBeLessThan(disk.size);
  });

  it('gives byte-identical disks for the same tree and digest', async () => {
    const first = await buildExt4(source, join(out, 'r1.ext4'), { manifestDigest: DIGEST, buildTime: 1_700_000_000 });
    await new Promise((done) => setTimeout(done, 1100));
    const second = await buildExt4(source, join(out, 'r2.ext4'), { manifestDigest: DIGEST, buildTime: 1_700_000_000 });
    const other = await buildExt4(source, join(out, 'r3.ext4'), { manifestDigest: `sha256:${'4d'.repeat(32)}`, buildTime: 1_700_000_000 });
    expect(second.sha256).toBe(first.sha256);
    expect(other.sha256).not.toBe(first.sha256);
    const dump = execFileSync('dumpe2fs', ['-h', first.path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(dump).toMatch(new RegExp(`Filesystem UUID:\\s+${first.uuid}`));
    expect(dump).toMatch(/Filesystem created:\s+Tue Nov 14 22:13:20 2023/);
    expect(dump).not.toMatch(/has_journal/);
  });

  it('adds a journal on request (through buildDisk, which dispatches on the format)', async () => {
    const disk = await buildDisk(source, join(out, 'journal.ext4'), { format: 'ext4', manifestDigest: DIGEST, journal: true });
    expect(disk.format).toBe('ext4');
    const dump = execFileSync('dumpe2fs', ['-h', disk.path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(dump).toMatch(/Filesystem features:.*has_journal/);
    fsckClean(disk.path);
  });

  it('sizes a tree of 20k small files right on the first attempt', async () => {
    const many = await scratch.tmpfs('many', 256 << 20, 'noatime');
    for (let d = 0; d < 100; d++) {
      mkdirSync(join(many, `dir-${d}`));
      for (let f = 0; f < 200; f++) writeFileSync(join(many, `dir-${d}`, `file-${f}.conf`), `value ${d} ${f}\n`.repeat(8));
    }
    const log: string[] = [];
    const disk = await buildExt4(many, join(out, 'many.ext4'), { manifestDigest: DIGEST, onLog: (line) => log.push(line) });
    expect(log.join('\n')).not.toMatch(/retrying/);
    const stats = await collectTreeStats(many);
    expect(disk.size).toBe(ext4SizeFor(stats).bytes);
    // ...and without waste: within 3% + 3 MiB of the blocks and inode table the tree needs.
    const needed = (stats.dataBlocks + stats.directoryBlocks) * 4096 + stats.inodes * 256;
    expect(disk.size).toBeLessThan(needed * 1.03 + (3 << 20));
    fsckClean(disk.path);
    const count = await withMountedErofs(disk.path, (mountpoint) => readdirSync(mountpoint).reduce((n, d) => n + readdirSync(join(mountpoint, d)).length, 0), { type: 'ext4' });
    expect(count).toBe(20_000);
  });

  it('grows a size that is too small once, and logs both attempts with their numbers', async () => {
    const log: string[] = [];
    const disk = await buildExt4(source, join(out, 'grown.ext4'), { manifestDigest: DIGEST, size: { bytes: 1 << 20, inodes: 16 }, onLog: (line) => log.push(line) });
    expect(log.join('\n')).toMatch(/did not fit in 1048576 bytes \/ 16 inodes.*retrying with \d+ bytes \/ \d+ inodes/);
    expect(disk.size).toBeGreaterThan(1 << 20);
    fsckClean(disk.path);
  });
});

describe.skipIf(unavailable !== undefined)('buildExt4 failures leave nothing behind', () => {
  it('reports NO_SPACE when the output filesystem fills up', async () => {
    const full = await scratch.tmpfs('full-out', 1 << 20);
    const big = await scratch.subdir('big-source');
    await writeTree(big, [{ type: 'file', path: 'random', content: { size: 4 << 20, seed: 5 } }]);
    await expect(buildExt4(big, join(full, 'disk.ext4'), { manifestDigest: DIGEST })).rejects.toMatchObject({ code: 'NO_SPACE' });
    expect(await listDir(full)).toEqual([]);
  });

  it('fails with MKFS_FAILED when even the grown size is too small', async () => {
    const target = await scratch.subdir('small-out');
    const big = await scratch.subdir('bigger-source');
    await writeTree(big, [{ type: 'file', path: 'random', content: { size: 90 << 20, seed: 6 } }]);
    await expect(buildExt4(big, join(target, 'disk.ext4'), { manifestDigest: DIGEST, size: { bytes: 1 << 20, inodes: 16 } })).rejects.toMatchObject({
      code: 'MKFS_FAILED',
    });
    expect(await listDir(target)).toEqual([]);
  });

  it('kills mkfs.ext4 on abort and removes the partial image', async () => {
    const large = await scratch.tmpfs('large-source', 400 << 20);
    for (let i = 0; i < 40; i++) await writeTree(large, [{ type: 'file', path: `f${i}`, content: { size: 8 << 20, seed: 200 + i } }]);
    const target = await scratch.subdir('abort-out');
    const controller = new AbortController();
    const building = buildExt4(large, join(target, 'disk.ext4'), { manifestDigest: DIGEST, signal: controller.signal });
    await abortWhileRunning(building, controller, target);
  });
});
