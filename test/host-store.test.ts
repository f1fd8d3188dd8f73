import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDiskFile, type DiskSource } from '../host/diskcopy.js';
import { lockFile } from '../host/lock.js';
import { parseReference } from '../core/reference.js';
import { listImages, openStore, registerPrebuiltImage, type ImageStore, type RegisterImageRequest } from '../host/store.js';
import { openVolume } from '../host/volume.js';
import { fakeDigest, HOSTILE, makeExt4Disk, makeHostileVolumeTree, sha256File, tempDir } from './helpers/host-disks.js';

const work = tempDir('host-store');
afterAll(() => work.remove());
const volumeDir = join(work.path, 'volume');
mkdirSync(volumeDir);
const good = makeHostileVolumeTree(volumeDir);
let storeCount = 0;

async function freshStore(): Promise<ImageStore> {
  return openStore(join(work.path, `store-${++storeCount}`));
}

async function volumeDisk(path: string = HOSTILE.good): Promise<DiskSource> {
  return (await openVolume(volumeDir)).openDisk(path);
}

function register(store: ImageStore, request: Partial<RegisterImageRequest> & { disk: DiskSource }) {
  return registerPrebuiltImage(store, { reference: parseReference('registry.internal:5000/team/app:v1'), manifestDigest: fakeDigest('app-v1'), source: 'agent', ...request });
}

/** Every file name below `dir`, relative, for "nothing else was left behind" checks. */
function listTree(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listTree(join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`],
  );
}

/** A disk that fails the test if anything reads it; records whether it was closed. */
function untouchableDisk(): DiskSource & { closed: boolean } {
  return {
    closed: false,
    chunks() {
      throw new Error('the disk was read although the image was already registered');
    },
    close() {
      this.closed = true;
      return Promise.resolve();
    },
  };
}

describe('registerPrebuiltImage', () => {
  it('files disk, metadata and tag per the store layout, with the copied disk padded and hashed', async () => {
    const store = await freshStore();
    const digest = fakeDigest('app-v1');
    const { entry, alreadyPresent } = await register(store, {
      disk: await volumeDisk(),
      expected: { sizeBytes: good.goodSize, sha256: good.goodSha256 },
      config: { entrypoint: ['/bin/app'], cmd: ['--serve'], env: ['PATH=/usr/bin', 'A=b'], workingDir: '/srv', user: '1000:1000' },
      configDigest: fakeDigest('config'),
      platform: 'linux/amd64',
    });
    expect(alreadyPresent).toBe(false);
    const dir = join(store.imagesDir, 'registry.internal:5000/team/app', digest.slice(7));
    expect(entry.dir).toBe(dir);
    expect(listTree(join(store.imagesDir, 'registry.internal:5000/team/app')).sort()).toEqual([
      `${digest.slice(7)}/.lock`,
      `${digest.slice(7)}/metadata.json`,
      `${digest.slice(7)}/rootfs.erofs`,
      'tags/v1',
    ]);
    expect(readlinkSync(join(store.imagesDir, 'registry.internal:5000/team/app/tags/v1'))).toBe(`../${digest.slice(7)}`);
    expect(sha256File(join(dir, 'rootfs.erofs'))).toBe(good.goodSha256); // mkfs.erofs output is already 4096-aligned
    const metadata = JSON.parse(readFileSync(join(dir, 'metadata.json'), 'utf8')) as Record<string, unknown>;
    expect(metadata).toEqual({
      schemaVersion: 1,
      name: 'registry.internal:5000/team/app:v1',
      repository: 'registry.internal:5000/team/app',
      manifestDigest: digest,
      status: 'ready',
      format: 'erofs',
      diskFile: 'rootfs.erofs',
      sizeBytes: good.goodSize,
      sha256: good.goodSha256,
      entrypoint: ['/bin/app'],
      cmd: ['--serve'],
      env: ['PATH=/usr/bin', 'A=b'],
      workingDir: '/srv',
      user: '1000:1000',
      source: 'agent',
      configDigest: fakeDigest('config'),
      platform: 'linux/amd64',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown,
    });
    expect(await listImages(store)).toEqual([{ ...metadata, tags: ['v1'], dir, diskPath: join(dir, 'rootfs.erofs') }]);
  });

  it('is a no-op for a digest already ready: nothing read, the disk closed, the tag moved', async () => {
    const store = await freshStore();
    const first = await register(store, { disk: await volumeDisk() });
    const again = untouchableDisk();
    const second = await register(store, { reference: parseReference('registry.internal:5000/team/app:latest'), disk: again });
    expect(second.alreadyPresent).toBe(true);
    expect(again.closed).toBe(true);
    expect(second.entry.createdAt).toBe(first.entry.createdAt);
    expect(second.entry.tags).toEqual(['latest', 'v1']);
  });

  it('pads a disk that is not 4096-aligned and records the padded size and sha256', async () => {
    const store = await freshStore();
    const unaligned = join(work.path, 'unaligned.erofs');
    writeFileSync(unaligned, Buffer.concat([readFileSync(join(volumeDir, HOSTILE.good)), Buffer.from('tail')]));
    const { entry } = await register(store, { disk: await openDiskFile(unaligned) });
    expect(entry.sizeBytes).toBe(good.goodSize + 4096);
    expect(sha256File(entry.diskPath)).toBe(entry.sha256);
    expect(readFileSync(entry.diskPath).subarray(good.goodSize, good.goodSize + 5).toString('latin1')).toBe('tail\0');
  });

  it('registers ext4 disks as rootfs.ext4, and a host-built disk with its fallback reason', async () => {
    const store = await freshStore();
    const { entry } = await register(store, {
      reference: parseReference('localhost:5000/app@' + fakeDigest('ext4')),
      manifestDigest: fakeDigest('ext4'),
      format: 'ext4',
      source: 'host',
      fallbackReason: { code: 'AGENT_UNAVAILABLE', message: 'dial timed out' },
      disk: await openDiskFile(makeExt4Disk(join(work.path, 'host-built.ext4'), { 'etc/hostname': 'x' })),
    });
    expect(entry).toMatchObject({ format: 'ext4', diskFile: 'rootfs.ext4', source: 'host', fallbackReason: { code: 'AGENT_UNAVAILABLE', message: 'dial timed out' }, tags: [] });
    expect(existsSync(join(entry.dir, 'rootfs.ext4'))).toBe(true);
  });

  it.each([
    ['a lying sha256', { expected: { sha256: `sha256:${'1'.repeat(64)}` } }, HOSTILE.good, 'DIGEST_MISMATCH'],
    ['a lying size', { expected: { sizeBytes: good.goodSize - 4096 } }, HOSTILE.good, 'SIZE_MISMATCH'],
    ['random bytes', {}, HOSTILE.badMagic, 'BAD_SUPERBLOCK'],
    ['an ext4 disk as EROFS', {}, HOSTILE.goodExt4, 'BAD_SUPERBLOCK'],
  ])('leaves no entry and no temp file after %s', async (_what, extra, path, code) => {
    const store = await freshStore();
    await expect(register(store, { ...extra, disk: await volumeDisk(path) })).rejects.toMatchObject({ code });
    expect(await listImages(store)).toEqual([]);
    expect(listTree(store.imagesDir).filter((name) => !name.endsWith('/.lock'))).toEqual([]);
  });

  it.each([
    ['a parent component', 'registry.internal/../etc:v1', 'INVALID_REFERENCE'],
    ['an absolute name', '/etc/app:v1', 'INVALID_REFERENCE'],
    ['uppercase', 'registry.internal/Team/app:v1', 'INVALID_REFERENCE'],
    ['odd characters', 'registry.internal/te$m/app:v1', 'INVALID_REFERENCE'],
    ['a backslash', 'registry.internal/team\\app:v1', 'INVALID_REFERENCE'],
    ['a component the store uses for tags', 'registry.internal/app/tags:v1', 'INVALID_REFERENCE'],
    ['a component that looks like an entry', `registry.internal/app/${'a'.repeat(64)}:v1`, 'INVALID_REFERENCE'],
    ['a bad tag', 'registry.internal/app:-v1', 'INVALID_REFERENCE'],
    ['a name digest other than the manifest digest', `registry.internal/app@${fakeDigest('other')}`, 'INVALID_ARGUMENT'],
  ])('refuses a name with %s before touching the store', async (_what, name, code) => {
    const store = await freshStore();
    await expect((async () => register(store, { reference: parseReference(name), disk: await volumeDisk() }))()).rejects.toMatchObject({ code });
    expect(readdirSync(store.imagesDir)).toEqual([]);
  });

  it('refuses a malformed manifest digest', async () => {
    const store = await freshStore();
    await expect(register(store, { manifestDigest: 'sha256:../../x', disk: await volumeDisk() })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(readdirSync(store.imagesDir)).toEqual([]);
  });
});

describe('readiness', () => {
  it.each([
    ['the disk truncated', (dir: string) => truncateSync(join(dir, 'rootfs.erofs'), 4096)],
    ['the disk missing', (dir: string) => unlinkSync(join(dir, 'rootfs.erofs'))],
    ['the disk replaced by a symlink', (dir: string) => {
      unlinkSync(join(dir, 'rootfs.erofs'));
      symlinkSync(join(volumeDir, HOSTILE.good), join(dir, 'rootfs.erofs'));
    }],
    ['metadata that does not parse', (dir: string) => writeFileSync(join(dir, 'metadata.json'), '{"status":"ready",')],
    ['metadata not saying ready', (dir: string) => {
      const metadata = JSON.parse(readFileSync(join(dir, 'metadata.json'), 'utf8')) as Record<string, unknown>;
      writeFileSync(join(dir, 'metadata.json'), JSON.stringify({ ...metadata, status: 'pending' }));
    }],
  ])('an entry with %s is not listed, and registering it again repairs it', async (_what, damage) => {
    const store = await freshStore();
    const { entry } = await register(store, { disk: await volumeDisk() });
    damage(entry.dir);
    expect(await listImages(store)).toEqual([]);
    const repaired = await register(store, { disk: await volumeDisk() });
    expect(repaired.alreadyPresent).toBe(false);
    expect(sha256File(repaired.entry.diskPath)).toBe(repaired.entry.sha256);
    expect((await listImages(store)).map((image) => image.manifestDigest)).toEqual([entry.manifestDigest]);
  });
});

describe('openStore', () => {
  it('removes temp files of crashed registrations, but not those of a registration holding its lock', async () => {
    const root = join(work.path, 'store-temps');
    const store = await openStore(root);
    const a = await register(store, { disk: await volumeDisk() });
    const b = await register(store, { manifestDigest: fakeDigest('other'), reference: parseReference('registry.internal:5000/team/app:v2'), disk: await volumeDisk() });
    const [hexA, hexB] = [a.entry.dir.slice(-64), b.entry.dir.slice(-64)];
    writeFileSync(join(a.entry.dir, '.tmp-deadbeef.rootfs.erofs'), 'partial');
    writeFileSync(join(a.entry.dir, '.tmp-cafe.metadata.json'), '{}');
    writeFileSync(join(b.entry.dir, '.tmp-live.rootfs.erofs'), 'being written');
    const tags = join(store.imagesDir, 'registry.internal:5000/team/app/tags');
    symlinkSync(`../${hexA}`, join(tags, `.tmp-${hexA}-0001`));
    symlinkSync(`../${hexB}`, join(tags, `.tmp-${hexB}-0002`));
    symlinkSync(`../${'c'.repeat(64)}`, join(tags, `.tmp-${'c'.repeat(64)}-0003`)); // its entry does not exist

    const held = (await lockFile(join(b.entry.dir, '.lock'), { wait: true }))!;
    try {
      await openStore(root);
    } finally {
      await held.release();
    }
    expect(readdirSync(a.entry.dir).sort()).toEqual(['.lock', 'metadata.json', 'rootfs.erofs']);
    expect(readdirSync(b.entry.dir)).toContain('.tmp-live.rootfs.erofs');
    expect(readdirSync(tags).sort()).toEqual([`.tmp-${hexB}-0002`, 'v1', 'v2']);
    await openStore(root);
    expect(readdirSync(b.entry.dir)).not.toContain('.tmp-live.rootfs.erofs');
    expect(readdirSync(tags).sort()).toEqual(['v1', 'v2']);
  });

  it('lists images of nested repositories and several tags', async () => {
    const store = await freshStore();
    await register(store, { reference: parseReference('r.internal/a:1'), manifestDigest: fakeDigest('a1'), disk: await volumeDisk() });
    await register(store, { reference: parseReference('r.internal/a/b:1'), manifestDigest: fakeDigest('ab1'), disk: await volumeDisk() });
    await register(store, { reference: parseReference('r.internal/a:2'), manifestDigest: fakeDigest('a1'), disk: untouchableDisk() });
    await register(store, { reference: parseReference('a:3'), manifestDigest: fakeDigest('a3'), disk: await volumeDisk() });
    const images = await listImages(store);
    expect(images.map((image) => [image.repository, image.tags, image.manifestDigest])).toEqual([
      ['docker.io/library/a', ['3'], fakeDigest('a3')],
      ['r.internal/a', ['1', '2'], fakeDigest('a1')],
      ['r.internal/a/b', ['1'], fakeDigest('ab1')],
    ]);
  });
});
