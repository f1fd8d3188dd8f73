// buildErofs against the real mkfs.erofs, fsck.erofs, dump.erofs and a loop
// mount, for each release of the matrix (the system's 1.5 and the cached 1.9
// build): compression choices, byte-identical rebuilds, a disk that mounts as
// its source tree, and no file left behind by any failure.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { lutimes, open } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fsextra } from '../agent/native/fsextra.js';
import { buildErofs } from '../agent/disk/erofs.js';
import { buildTimeFromCreated, uuidFromDigest } from '../agent/disk/identity.js';
import { probeErofsUtils } from '../agent/disk/probe.js';
import { erofsChecksumValid, erofsSuperblockChecksum, readErofsSuperblock } from '../agent/disk/superblock.js';
import { CAPABILITY, DISK_TREE, TEXT } from './disk/tree-spec.js';
import { erofsToolMatrix, type ErofsTools } from './disk/erofs-matrix.js';
import { abortWhileRunning, createScratch, listDir, type Scratch } from './disk/scratch.js';
import { compareTrees, formatDifferences, mountUnavailableReason, snapshotTree, withMountedErofs, writeTree } from '../testkit/verify/index.js';

const DIGEST = `sha256:${'5e'.repeat(32)}`;
const OTHER_DIGEST = `sha256:${'a7'.repeat(32)}`;

const unavailable = mountUnavailableReason();
const MATRIX = erofsToolMatrix();
let scratch: Scratch;
let source: string;

function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function dumpStats(tools: ErofsTools, image: string): { compressed: number; uncompressed: number } {
  const text = execFileSync(tools.dump, ['-S', image], { encoding: 'utf8' });
  const count = (label: string): number => Number(new RegExp(`${label} files:\\s+(\\d+)`).exec(text)?.[1]);
  return { compressed: count('compressed'), uncompressed: count('uncompressed') };
}

function superblockOf(image: string): ReturnType<typeof readErofsSuperblock> {
  return readErofsSuperblock(readFileSync(image).subarray(0, 4096));
}

beforeAll(async () => {
  if (unavailable) return;
  scratch = await createScratch('disk-erofs');
  source = await scratch.subdir('source');
  await writeTree(source, DISK_TREE);
  // Sub-second mtime: EROFS keeps nanoseconds.
  await lutimes(join(source, 'etc/text'), 1_650_000_000.25, 1_650_000_000.25);
});

afterAll(async () => {
  await scratch?.dispose();
});

describe.skipIf(unavailable !== undefined).each(MATRIX)('buildErofs with the $label mkfs.erofs', (tools) => {
  let out: string;
  const build = (dir: string, name: string, options: Omit<Parameters<typeof buildErofs>[2], 'mkfsCommand'>) =>
    buildErofs(dir, join(out, name), { ...options, mkfsCommand: tools.mkfs });
  beforeAll(async () => {
    if (!unavailable) out = await scratch.subdir(`out-${tools.label.replace(/\W+/g, '-')}`);
  });

  it('compresses with LZ4 by default and the mount equals the source tree, nanosecond mtimes included', async () => {
    const disk = await build(source, 'default.erofs', { manifestDigest: DIGEST });
    expect(disk.compression).toBe('lz4');
    expect(disk.args).toContain('-zlz4');
    expect(dumpStats(tools, disk.path).compressed).toBeGreaterThan(0);
    execFileSync(tools.fsck, [disk.path]);
    const mounted = await withMountedErofs(disk.path, (mountpoint) => snapshotTree(mountpoint));
    const differences = compareTrees(await snapshotTree(source), mounted, { mtimeNanoseconds: true });
    expect(formatDifferences(differences)).toBe('');
    expect(mounted.get('usr/bin/ping')?.xattrs.get('security.capability')).toEqual(CAPABILITY);
    expect(mounted.get('data/b')?.hardlinks).toEqual(['data/a']);
  });

  it('sets the block size, build time and UUID as far as the release allows, and every mtime survives', async () => {
    const info = await probeErofsUtils(tools.mkfs);
    // The build time of data/a's mtime: a 1.8+ mkfs may give that file a compact inode (no mtime of its own).
    const buildTime = 1_700_000_123;
    const disk = await build(source, 'identity.erofs', { manifestDigest: DIGEST, buildTime });
    expect(disk.args.includes('-b4096')).toBe(info.blockSize);
    if (info.mkfsTime) {
      expect(disk.args).toEqual(expect.arrayContaining([`-T${buildTime}`, '--mkfs-time']));
      expect(disk.args).not.toContain('-Eforce-inode-extended');
    } else {
      expect(disk.args).toContain('-Eforce-inode-extended');
      expect(disk.args.some((arg) => arg.startsWith('-T'))).toBe(false);
    }
    expect(superblockOf(disk.path)).toMatchObject({ blockSizeBits: 12, buildTime: BigInt(buildTime), buildTimeNsec: 0, uuid: uuidFromDigest(DIGEST) });
    const mounted = await withMountedErofs(disk.path, (mountpoint) => snapshotTree(mountpoint));
    expect(formatDifferences(compareTrees(await snapshotTree(source), mounted, { mtimeNanoseconds: true }))).toBe('');
  });

  it('builds lz4hc (with a level) and uncompressed images; sizes order as the compression does', async () => {
    const lz4 = await build(source, 'lz4.erofs', { manifestDigest: DIGEST, compression: 'lz4' });
    const hc = await build(source, 'hc.erofs', { manifestDigest: DIGEST, compression: 'lz4hc,12' });
    const none = await build(source, 'none.erofs', { manifestDigest: DIGEST, compression: 'none' });
    expect(hc.args).toContain('-zlz4hc,12');
    expect(none.args.some((a) => a.startsWith('-z'))).toBe(false);
    expect(dumpStats(tools, hc.path).compressed).toBeGreaterThan(0);
    expect(dumpStats(tools, none.path).compressed).toBe(0);
    expect(hc.size).toBeLessThanOrEqual(lz4.size);
    expect(none.size).toBeGreaterThan(lz4.size + 600_000); // TEXT (880 kB) shrinks to a few kB with LZ4
    for (const disk of [lz4, hc, none]) {
      expect(disk.size % 4096).toBe(0);
      expect(statSync(disk.path).size).toBe(disk.size);
      expect(sha256File(disk.path)).toBe(disk.sha256);
    }
  });

  it('gives byte-identical disks for the same tree and digest, a different UUID and hash for another digest', async () => {
    const created = buildTimeFromCreated('2024-05-06T07:08:09.5Z');
    const first = await build(source, 'r1.erofs', { manifestDigest: DIGEST, buildTime: created });
    await new Promise((done) => setTimeout(done, 1100)); // a different wall-clock second for mkfs
    const second = await build(source, 'r2.erofs', { manifestDigest: DIGEST, buildTime: created });
    const other = await build(source, 'r3.erofs', { manifestDigest: OTHER_DIGEST, buildTime: created });
    expect(second.sha256).toBe(first.sha256);
    expect(readFileSync(second.path).equals(readFileSync(first.path))).toBe(true);
    expect(other.sha256).not.toBe(first.sha256);

    const sb = superblockOf(first.path);
    expect(sb.uuid).toBe(uuidFromDigest(DIGEST));
    expect(sb.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(superblockOf(other.path).uuid).toBe(uuidFromDigest(OTHER_DIGEST));
    expect(superblockOf(other.path).uuid).not.toBe(sb.uuid);
    expect(sb.buildTime).toBe(BigInt(Date.parse('2024-05-06T07:08:09Z') / 1000));
    expect(sb.buildTimeNsec).toBe(0);
    expect(execFileSync(tools.dump, ['-s', first.path], { encoding: 'utf8' })).toMatch(/Filesystem UUID:\s+5e5e5e5e-5e5e-8e5e-9e5e-5e5e5e5e5e5e/);
  });

  it('leaves a superblock checksum the kernel and fsck.erofs accept', async () => {
    const disk = await build(source, 'csum.erofs', { manifestDigest: DIGEST, buildTime: 0 });
    const head = readFileSync(disk.path).subarray(0, 4096);
    expect(erofsChecksumValid(head)).toBe(true);
    const corrupted = Buffer.from(head);
    corrupted[1024 + 24] = (corrupted[1024 + 24] as number) ^ 1; // one bit of the build time
    expect(erofsChecksumValid(corrupted)).toBe(false);
    execFileSync(tools.fsck, [disk.path]);
    // The kernel verifies the checksum at mount time (fs/erofs/super.c): it mounts ours and refuses a bad one.
    await withMountedErofs(disk.path, (mountpoint) => expect(statSync(join(mountpoint, 'etc/text')).size).toBe(TEXT.length));
    const broken = join(out, 'broken-csum.erofs');
    writeFileSync(broken, Buffer.concat([corrupted, readFileSync(disk.path).subarray(4096)]));
    await expect(withMountedErofs(broken, () => undefined)).rejects.toThrow(/mount -t erofs/);
  });

  it('computes the same superblock checksum as mkfs.erofs itself', () => {
    const image = join(out, 'plain-mkfs.erofs');
    execFileSync(tools.mkfs, ['--quiet', '-zlz4', image, source]);
    const head = readFileSync(image).subarray(0, 4096);
    expect(erofsSuperblockChecksum(head)).toBe(readErofsSuperblock(head).checksum);
  });

  it('rejects compressions the tool does not offer and malformed ones, listing what is available', async () => {
    const info = await probeErofsUtils(tools.mkfs);
    const expectReject = (compression: string, code: string) =>
      expect(build(source, 'never.erofs', { manifestDigest: DIGEST, compression })).rejects.toMatchObject({
        code,
        message: expect.stringContaining(`available: ${info.compressors.map((c) => c.name).join(', ')}, none`) as unknown,
      });
    await expectReject('brotli', 'UNSUPPORTED_FORMAT');
    await expectReject('lz4hc,13', 'INVALID_ARGUMENT');
    await expectReject('lz4,3', 'INVALID_ARGUMENT');
    await expectReject('lz4hc;rm -rf', 'INVALID_ARGUMENT');
    expect(await listDir(out)).not.toContain('never.erofs');
  });

  it('rejects a bad digest and a missing source before running mkfs', async () => {
    await expect(build(source, 'x.erofs', { manifestDigest: 'latest' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(build(join(source, 'absent'), 'x.erofs', { manifestDigest: DIGEST })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(build(source, 'no/such/dir/x.erofs', { manifestDigest: DIGEST })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe.skipIf(unavailable !== undefined).each(MATRIX)('buildErofs failures with the $label mkfs.erofs leave nothing behind', (tools) => {
  const suffix = tools.label.replace(/\W+/g, '-');
  it('reports NO_SPACE when the output filesystem fills up, and removes the partial image', async () => {
    const full = await scratch.tmpfs(`full-out-${suffix}`, 1024 * 1024);
    const big = await scratch.subdir(`big-source-${suffix}`);
    await writeTree(big, [{ type: 'file', path: 'random', content: { size: 3 << 20, seed: 9 } }]);
    await expect(buildErofs(big, join(full, 'disk.erofs'), { manifestDigest: DIGEST, mkfsCommand: tools.mkfs, compression: 'none' })).rejects.toMatchObject({
      code: 'NO_SPACE',
      message: expect.stringMatching(/out of space/) as unknown,
    });
    expect(await listDir(full)).toEqual([]);
  });

  it('reports MKFS_FAILED for an image fsck.erofs rejects (a 64 KiB xattr value overflows a 16-bit field) and removes it', async () => {
    // tmpfs takes a 64 KiB xattr value; the ext4 under /tmp would not.
    const hostile = await scratch.tmpfs(`xattr-source-${suffix}`, 1 << 20);
    writeFileSync(join(hostile, 'f'), 'x');
    fsextra.lsetxattr(join(hostile, 'f'), 'trusted.big', Buffer.alloc(65_536, 0x61));
    const target = await scratch.subdir(`xattr-out-${suffix}`);
    await expect(buildErofs(hostile, join(target, 'disk.erofs'), { manifestDigest: DIGEST, mkfsCommand: tools.mkfs })).rejects.toMatchObject({ code: 'MKFS_FAILED' });
    expect(await listDir(target)).toEqual([]);
  });

  it('kills mkfs.erofs on abort, rejects with the abort reason and removes the partial image', async () => {
    const large = await scratch.subdir(`large-source-${suffix}`);
    for (let i = 0; i < 24; i++) await writeTree(large, [{ type: 'file', path: `f${i}`, content: { size: 8 << 20, seed: 100 + i } }]);
    const target = await scratch.subdir(`abort-out-${suffix}`);
    const controller = new AbortController();
    const building = buildErofs(large, join(target, 'disk.erofs'), { manifestDigest: DIGEST, mkfsCommand: tools.mkfs, compression: 'lz4hc,12', signal: controller.signal });
    await abortWhileRunning(building, controller, target);
  });

  it('keeps a timeout reason given to the abort signal', async () => {
    const { BuilderError } = await import('../proto/errors.js');
    const controller = new AbortController();
    controller.abort(new BuilderError('TIMEOUT', 'conversion timed out'));
    const target = await scratch.subdir(`timeout-out-${suffix}`);
    await expect(buildErofs(source, join(target, 'disk.erofs'), { manifestDigest: DIGEST, mkfsCommand: tools.mkfs, signal: controller.signal })).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(await listDir(target)).toEqual([]);
  });
});

describe.skipIf(unavailable !== undefined)('disk size estimate for the space check', () => {
  it('stays at or below the real disk and above 40% of it, for a real package tree (very compressible JS) and its gzip layer', async () => {
    const { estimateDiskBytes } = await import('../agent/disk/estimate.js');
    const out = await scratch.subdir('estimate-out');
    const tree = join(process.cwd(), 'node_modules/typescript');
    const layer = gzipSync(execFileSync('tar', ['-C', tree, '-cf', '-', '.'], { maxBuffer: 1 << 30 }), { level: 6 });
    const layers = [{ size: layer.length, compression: 'gzip' as const }];
    for (const compression of ['lz4', 'none']) {
      const disk = await buildErofs(tree, join(out, `estimate-${compression}.erofs`), { manifestDigest: DIGEST, compression });
      const estimate = estimateDiskBytes(layers, 'erofs', compression);
      expect(estimate).toBeLessThanOrEqual(disk.size);
      expect(estimate).toBeGreaterThan(0.4 * disk.size);
    }
  });
});

describe('padding to 4096 bytes', () => {
  it('adds a sparse tail and hashes the padded file in one pass', async () => {
    const { padAndHash } = await import('../agent/disk/align.js');
    const dir = await createScratch('disk-align');
    try {
      const path = join(dir.dir, 'odd.img');
      writeFileSync(path, Buffer.alloc(3 * 4096 + 100, 7));
      const before = statSync(path).blocks;
      const aligned = await padAndHash(path);
      const after = statSync(path);
      expect(aligned).toMatchObject({ size: 4 * 4096, paddedBytes: 4096 - 100 });
      expect(after.size).toBe(4 * 4096);
      expect(after.blocks).toBe(before); // the tail allocated nothing
      expect(aligned.sha256).toBe(sha256File(path));
      const again = await padAndHash(path);
      expect(again).toEqual({ ...aligned, paddedBytes: 0 });
      // A head given from memory is hashed instead of read, so it must be what the file holds.
      const handle = await open(path, 'r+');
      try {
        expect((await padAndHash(handle, { head: readFileSync(path).subarray(0, 4096) })).sha256).toBe(aligned.sha256);
      } finally {
        await handle.close();
      }
    } finally {
      await dir.dispose();
    }
  });
});
