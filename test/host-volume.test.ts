// Both volume modes against the same hostile tree: a host directory, and an
// ext4 image of that directory written by mkfs.ext4 -d and read with debugfs.
import { spawn } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyVerifiedDisk } from '../host/diskcopy.js';
import { DEFAULT_DISK_SIZE_LIMIT } from '../host/validate.js';
import type { Volume } from '../host/volume-types.js';
import { openVolume } from '../host/volume.js';
import { HOSTILE, makeErofsDisk, makeExt4Volume, makeHostileVolumeTree, mountsMentioning, run, sha256File, tempDir } from './helpers/host-disks.js';
import { sha256Digest } from '../core/digest.js';
import { rejection } from './helpers/expect-error.js';

const work = tempDir('host-volume');
afterAll(() => work.remove());
const tree = join(work.path, 'tree');
mkdirSync(tree);
const good = makeHostileVolumeTree(tree);
const image = makeExt4Volume(tree, join(work.path, 'volume.ext4'));

async function readAll(volume: Volume, path: string, sizeLimit?: number): Promise<Buffer> {
  const disk = await volume.openDisk(path, { sizeLimit });
  try {
    const parts: Uint8Array[] = [];
    for await (const chunk of disk.chunks()) parts.push(Buffer.from(chunk));
    return Buffer.concat(parts);
  } finally {
    await disk.close();
  }
}

describe.each([
  ['directory', tree],
  ['ext4-image', image],
] as const)('%s volume', (kind, location) => {
  it('finds the volume kind from what the location is', async () => {
    expect((await openVolume(location)).kind).toBe(kind);
  });

  it('reads a good disk byte for byte, with its size', async () => {
    const volume = await openVolume(location);
    const disk = await volume.openDisk(HOSTILE.good);
    expect(disk.sizeBytes).toBe(good.goodSize);
    await disk.close();
    const bytes = await readAll(volume, HOSTILE.good);
    expect(bytes.equals(await readFile(join(tree, HOSTILE.good)))).toBe(true);
  });

  it.each([
    ['a symlink to /etc/passwd', HOSTILE.symlinkToPasswd, 'PATH_REJECTED'],
    ['a symlink to the good disk', HOSTILE.symlinkToDisk, 'PATH_REJECTED'],
    ['a symlinked parent directory', HOSTILE.viaSymlinkParent, 'PATH_REJECTED'],
    ['a regular file as a parent', HOSTILE.viaFileParent, 'PATH_REJECTED'],
    ['a fifo', HOSTILE.fifo, 'NOT_REGULAR'],
    ['a character device', HOSTILE.charDevice, 'NOT_REGULAR'],
    ['a directory', HOSTILE.directory, 'NOT_REGULAR'],
    ['an empty file', HOSTILE.empty, 'SIZE_LIMIT'],
    ['a 65 GiB sparse file (above the default limit)', HOSTILE.huge, 'SIZE_LIMIT'],
    ['a missing file', HOSTILE.missing, 'NOT_FOUND'],
    ['an absolute path', '/etc/passwd', 'PATH_REJECTED'],
    ['an absolute path into the volume', `/${HOSTILE.good}`, 'PATH_REJECTED'],
    ['a path climbing out', 'out/../../etc/passwd', 'PATH_REJECTED'],
    ['a/../../x', 'a/../../x', 'PATH_REJECTED'],
    ['a NUL byte', `${HOSTILE.good}\u0000`, 'PATH_REJECTED'],
    ['a control character', 'out/\u0007disk.erofs', 'PATH_REJECTED'],
    ['an overlong component', `out/${'d'.repeat(300)}`, 'PATH_REJECTED'],
  ])('refuses %s', async (_what, path, code) => {
    const volume = await openVolume(location);
    await expect(volume.openDisk(path)).rejects.toMatchObject({ code });
  });

  it('applies a lower size limit before reading', async () => {
    const volume = await openVolume(location);
    await expect(volume.openDisk(HOSTILE.good, { sizeLimit: good.goodSize - 1 })).rejects.toMatchObject({ code: 'SIZE_LIMIT' });
    expect(good.goodSize).toBeLessThan(DEFAULT_DISK_SIZE_LIMIT);
  });

  it.each([
    ['random bytes claimed as EROFS', HOSTILE.badMagic, 'erofs'],
    ['an ext4 disk claimed as EROFS', HOSTILE.goodExt4, 'erofs'],
    ['an EROFS disk claimed as ext4', HOSTILE.good, 'ext4'],
  ] as const)('fails BAD_SUPERBLOCK on %s', async (_what, path, format) => {
    const volume = await openVolume(location);
    const disk = await volume.openDisk(path);
    const out = await open(join(work.path, `sb-${kind}-${format}-${path.replace(/\W/g, '_')}`), 'w');
    try {
      await expect(copyVerifiedDisk(disk, out, { format })).rejects.toMatchObject({ code: 'BAD_SUPERBLOCK' });
    } finally {
      await out.close();
      await disk.close();
    }
  });

  it.each([
    ['a lying size', { sizeBytes: good.goodSize + 4096 }, 'SIZE_MISMATCH'],
    ['a lying sha256', { sha256: `sha256:${'e'.repeat(64)}` }, 'DIGEST_MISMATCH'],
  ])('fails on %s', async (_what, claims, code) => {
    const volume = await openVolume(location);
    const disk = await volume.openDisk(HOSTILE.good);
    const out = await open(join(work.path, `claims-${kind}-${code}`), 'w');
    try {
      await expect(copyVerifiedDisk(disk, out, { format: 'erofs', claims })).rejects.toMatchObject({ code });
    } finally {
      await out.close();
      await disk.close();
    }
  });

  it('copies a good disk with a true size and sha256', async () => {
    const volume = await openVolume(location);
    const disk = await volume.openDisk(HOSTILE.good);
    const target = join(work.path, `ok-${kind}`);
    const out = await open(target, 'w');
    try {
      const result = await copyVerifiedDisk(disk, out, { format: 'erofs', claims: { sizeBytes: good.goodSize, sha256: good.goodSha256 } });
      expect(result.sourceSha256).toBe(good.goodSha256);
    } finally {
      await out.close();
      await disk.close();
    }
    expect(sha256File(target)).toBe(good.goodSha256);
  });
});

describe('ext4-image volume', () => {
  it('is read without mounting anything: no mount or loop device refers to the test directory', async () => {
    const volume = await openVolume(image);
    expect((await readAll(volume, HOSTILE.good)).length).toBe(good.goodSize);
    await expect(volume.openDisk(HOSTILE.symlinkToPasswd)).rejects.toMatchObject({ code: 'PATH_REJECTED' });
    expect(mountsMentioning(work.path)).toEqual([]);
  });

  it('refuses an image with a journal (JOURNALED_VOLUME), naming the fix', async () => {
    const journaled = makeExt4Volume(tree, join(work.path, 'journaled.ext4'), '96M', true);
    const err = await rejection(openVolume(journaled));
    expect(err.code).toBe('JOURNALED_VOLUME');
    expect(err.message).toMatch(/with a journal: .*mkfs\.ext4 -O \^has_journal/);
    expect(err.message).not.toMatch(/needs_recovery/);
  });

  it('refuses a journaled image caught while mounted, saying it needs recovery', async () => {
    // The host's view of a volume the guest has mounted: a copy taken while it is mounted here.
    const journaled = makeExt4Volume(tree, join(work.path, 'mounted.ext4'), '96M', true);
    const mountpoint = join(work.path, 'mounted');
    mkdirSync(mountpoint);
    run('mount', ['-o', 'loop', journaled, mountpoint]);
    try {
      writeFileSync(join(mountpoint, 'written-while-mounted'), 'x');
      run('sync', []);
      run('cp', ['--sparse=always', journaled, join(work.path, 'snapshot.ext4')]);
    } finally {
      run('umount', [mountpoint]);
    }
    expect(run('dumpe2fs', ['-h', join(work.path, 'snapshot.ext4')])).toMatch(/Filesystem features:.*needs_recovery/);
    const err = await rejection(openVolume(join(work.path, 'snapshot.ext4')));
    expect(err.code).toBe('JOURNALED_VOLUME');
    expect(err.message).toMatch(/needs_recovery: the guest has writes in it/);
  });

  it('fails cleanly on a damaged image: a truncated volume', async () => {
    const truncated = join(work.path, 'truncated.ext4');
    writeFileSync(truncated, (await readFile(image)).subarray(0, 600 * 1024));
    const volume = await openVolume(truncated);
    await expect(volume.openDisk(HOSTILE.good)).rejects.toMatchObject({ code: 'PATH_REJECTED', message: expect.stringContaining('short read') as unknown });
  });

  it('refuses a file that is not an ext4 image as a volume', async () => {
    await expect(openVolume(join(tree, HOSTILE.good))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('directory volume under a guest swapping path components', () => {
  // A guest can rename entries of a shared directory while the host walks it.
  // A second process flips a parent directory, and the disk file itself, with
  // symlinks to a decoy disk outside the volume. Every open must either fail
  // or give the volume's own disk, never the decoy.
  const volumeDir = join(work.path, 'race-volume');
  const decoyDir = join(work.path, 'race-decoy');

  it('never reads through a swapped-in symlink', async () => {
    mkdirSync(join(volumeDir, 'x'), { recursive: true });
    mkdirSync(join(volumeDir, 'y'), { recursive: true });
    makeErofsDisk(join(volumeDir, 'x/disk.erofs'), { owner: 'volume' });
    makeErofsDisk(join(volumeDir, 'y/disk.erofs'), { owner: 'volume' });
    makeErofsDisk(join(decoyDir, 'disk.erofs'), { owner: 'decoy', pad: 'x'.repeat(5000) });
    symlinkSync(decoyDir, join(volumeDir, 'x.link'));
    symlinkSync(join(decoyDir, 'disk.erofs'), join(volumeDir, 'y/disk.link'));
    const decoySha = sha256File(join(decoyDir, 'disk.erofs'));
    const own = new Map(['x/disk.erofs', 'y/disk.erofs'].map((path) => [path, sha256File(join(volumeDir, path))]));

    const swapper = spawn(process.execPath, ['-e', SWAPPER, volumeDir], { stdio: 'ignore' });
    const outcomes = new Map<string, number>();
    try {
      const volume = await openVolume(volumeDir);
      for (let i = 0; i < 1500; i++) {
        for (const [path, ownSha] of own) {
          let outcome: string;
          try {
            const sha = sha256Digest(await readAll(volume, path));
            outcome = sha === ownSha ? 'volume' : sha === decoySha ? 'DECOY' : 'OTHER';
          } catch (err) {
            outcome = (err as { code?: string }).code ?? 'THROWN';
          }
          outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        }
      }
    } finally {
      swapper.kill('SIGKILL');
    }
    expect([...own.values()]).not.toContain(decoySha);
    expect([...outcomes.keys()].sort()).toEqual(expect.arrayContaining(['PATH_REJECTED', 'volume']));
    expect([...outcomes.keys()].filter((key) => !['PATH_REJECTED', 'NOT_FOUND', 'volume'].includes(key))).toEqual([]);
  });
});

const SWAPPER = `
const { renameSync } = require('node:fs');
const v = process.argv[1];
for (;;) {
  try {
    renameSync(v + '/x', v + '/x.real'); renameSync(v + '/x.link', v + '/x');
    renameSync(v + '/y/disk.erofs', v + '/y/disk.real'); renameSync(v + '/y/disk.link', v + '/y/disk.erofs');
    renameSync(v + '/x', v + '/x.link'); renameSync(v + '/x.real', v + '/x');
    renameSync(v + '/y/disk.erofs', v + '/y/disk.link'); renameSync(v + '/y/disk.real', v + '/y/disk.erofs');
  } catch {}
}
`;
