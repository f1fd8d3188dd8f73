// Real disks and hostile source volumes for the host-side tests: EROFS disks
// from mkfs.erofs, ext4 disks and ext4 volume images from mkfs.ext4 -d (never
// mounted), fifos and device nodes made with mknod.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fsextra } from '../../agent/native/fsextra.js';
import { sha256Digest } from '../../core/digest.js';

const SBIN_PATH = `${process.env.PATH ?? ''}:/usr/sbin:/sbin`;

export function run(command: string, args: string[]): string {
  return execFileSync(command, args, { encoding: 'utf8', env: { ...process.env, PATH: SBIN_PATH }, stdio: ['ignore', 'pipe', 'pipe'] });
}

export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export function writeTree(root: string, files: Record<string, string | Buffer>): void {
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), content);
  }
}

/** An uncompressed EROFS disk of `files` (so random content keeps its size), made by mkfs.erofs. */
export function makeErofsDisk(out: string, files: Record<string, string | Buffer>): string {
  const tree = mkdtempSync(join(tmpdir(), 'erofs-tree-'));
  try {
    writeTree(tree, files);
    mkdirSync(dirname(out), { recursive: true });
    run('mkfs.erofs', ['--quiet', out, tree]);
    return out;
  } finally {
    rmSync(tree, { recursive: true, force: true });
  }
}

export function makeExt4Disk(out: string, files: Record<string, string | Buffer>, size = '4M'): string {
  const tree = mkdtempSync(join(tmpdir(), 'ext4-tree-'));
  try {
    writeTree(tree, files);
    mkdirSync(dirname(out), { recursive: true });
    run('mkfs.ext4', ['-q', '-F', '-d', tree, out, size]);
    return out;
  } finally {
    rmSync(tree, { recursive: true, force: true });
  }
}

/** An ext4 volume image holding `dir`'s tree, written by mkfs.ext4 -d without any mount. */
/** A source volume as the builder VM tooling makes them: journal-less (the host refuses a journaled one). */
export function makeExt4Volume(dir: string, image: string, size = '96M', journal = false): string {
  run('mkfs.ext4', ['-q', '-F', '-O', journal ? 'has_journal' : '^has_journal', '-d', dir, image, size]);
  return image;
}

export function sha256File(path: string): string {
  return sha256Digest(readFileSync(path));
}

/** A well-formed manifest digest for names in tests. */
export function fakeDigest(seed: string): string {
  return sha256Digest(Buffer.from(seed));
}

export const HUGE_SPARSE_BYTES = 65 * 1024 ** 3;

/** Paths (relative to the volume) of the hostile volume's entries. */
export const HOSTILE = {
  good: 'out/disk.erofs',
  goodExt4: 'out/disk.ext4',
  symlinkToPasswd: 'out/passwd',
  symlinkToDisk: 'out/link.erofs',
  viaSymlinkParent: 'link-to-out/disk.erofs',
  viaFileParent: 'out/disk.erofs/x',
  fifo: 'out/fifo',
  charDevice: 'out/null',
  directory: 'out/subdir',
  empty: 'out/empty.erofs',
  huge: 'out/huge.erofs',
  badMagic: 'out/random.erofs',
  missing: 'out/missing.erofs',
} as const;

/**
 * Fills `root` with a good EROFS disk next to everything the host must refuse:
 * symlinks (to /etc/passwd, to the good disk, as a parent), a fifo, a character
 * device, a directory, an empty file, a 65 GiB sparse file, random bytes.
 */
export function makeHostileVolumeTree(root: string): { goodSha256: string; goodSize: number } {
  const out = join(root, 'out');
  mkdirSync(join(out, 'subdir'), { recursive: true });
  makeErofsDisk(join(root, HOSTILE.good), { 'etc/hostname': 'guest\n', 'bin/tool': randomBytes(20_000) });
  makeExt4Disk(join(root, HOSTILE.goodExt4), { 'etc/hostname': 'guest\n' });
  symlinkSync('/etc/passwd', join(root, HOSTILE.symlinkToPasswd));
  symlinkSync('disk.erofs', join(root, HOSTILE.symlinkToDisk));
  symlinkSync('out', join(root, 'link-to-out'));
  fsextra.mknod(join(root, HOSTILE.fifo), 0o010644, 0, 0);
  fsextra.mknod(join(root, HOSTILE.charDevice), 0o020666, 1, 3);
  writeFileSync(join(root, HOSTILE.empty), '');
  writeFileSync(join(root, HOSTILE.huge), '');
  truncateSync(join(root, HOSTILE.huge), HUGE_SPARSE_BYTES);
  writeFileSync(join(root, HOSTILE.badMagic), randomBytes(64 * 1024));
  return { goodSha256: sha256File(join(root, HOSTILE.good)), goodSize: statSync(join(root, HOSTILE.good)).size };
}

/** Mount table lines and loop devices that mention `needle` (a path this test owns). */
export function mountsMentioning(needle: string): string[] {
  const lines = readFileSync('/proc/mounts', 'utf8').split('\n').filter((line) => line.includes(needle));
  const loops = run('losetup', ['--list', '--noheadings', '--output', 'BACK-FILE']).split('\n').filter((line) => line.includes(needle));
  return [...lines, ...loops];
}
