// A store on a real small filesystem (a tmpfs with size=): a registration that runs
// out of space removes what it wrote, and a later one clears what a failed or killed
// registration left, so the space it held is usable again. Free space is set exactly
// with a filler file (tmpfs counts whole pages; every size here is a page multiple).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, statSync, statfsSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReference } from '../core/reference.js';
import { openStore, registerPrebuiltImage, type ImageStore } from '../host/store.js';
import { openVolume } from '../host/volume.js';
import { createScratch, type Scratch } from './disk/scratch.js';
import { builtHostFile, REGISTER_CHILD } from './helpers/host-dist.js';
import { fakeDigest, makeErofsDisk, sha256File } from './helpers/host-disks.js';

const PAGE = 4096;
const NAME = 'registry.internal:5000/team/full:v1';
const DIGEST = fakeDigest('store-full');
let scratch: Scratch;
let volume: string;
let diskBytes: number;

beforeAll(async () => {
  builtHostFile('store.js');
  scratch = await createScratch('store-full');
  volume = await scratch.subdir('volume');
  makeErofsDisk(join(volume, 'disk.erofs'), { data: randomBytes(1024 * 1024) });
  diskBytes = statSync(join(volume, 'disk.erofs')).size;
  expect(diskBytes % PAGE).toBe(0);
});
afterAll(async () => {
  await scratch.dispose();
});

function available(dir: string): number {
  const fs = statfsSync(dir);
  return fs.bavail * fs.bsize;
}

/** A store on a fresh tmpfs whose free space is then exactly `free` bytes (the rest taken by a filler file). */
async function smallStore(name: string, free: number): Promise<{ store: ImageStore; filler: string; entryDir: string }> {
  const mount = await scratch.tmpfs(name, 16 * 1024 * 1024);
  const store = await openStore(join(mount, 'store'));
  const filler = join(mount, 'filler');
  writeFileSync(filler, Buffer.alloc(available(mount) - free));
  expect(available(mount)).toBe(free);
  return { store, filler, entryDir: join(store.imagesDir, 'registry.internal:5000/team/full', DIGEST.slice('sha256:'.length)) };
}

async function register(store: ImageStore) {
  return registerPrebuiltImage(store, { reference: parseReference(NAME), manifestDigest: DIGEST, source: 'agent', disk: await (await openVolume(volume)).openDisk('disk.erofs') });
}

async function failureOf(promise: Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await promise;
  } catch (err) {
    return err as { code?: string; message: string };
  }
  throw new Error('the registration succeeded');
}

describe('store on a full filesystem', () => {
  it('room for the disk but not its metadata: NO_SPACE, and nothing but the lock file left; with a page freed the retry succeeds', async () => {
    const { store, filler, entryDir } = await smallStore('disk-fits', diskBytes);
    const err = await failureOf(register(store));
    expect(err).toMatchObject({ code: 'NO_SPACE', message: `store ${store.root}: ENOSPC: no space left on device, write; nothing of this registration was kept` });
    expect(readdirSync(entryDir)).toEqual(['.lock']);
    expect(available(store.root)).toBe(diskBytes);

    truncateSync(filler, statSync(filler).size - PAGE);
    const { entry, alreadyPresent } = await register(store);
    expect(alreadyPresent).toBe(false);
    expect(entry.status).toBe('ready');
    expect(sha256File(entry.diskPath)).toBe(entry.sha256);
    expect(readdirSync(entryDir).sort()).toEqual(['.lock', 'metadata.json', 'rootfs.erofs']);
  });

  it('no room for the disk: NO_SPACE, the partial copy removed', async () => {
    const { store, entryDir } = await smallStore('disk-does-not-fit', diskBytes - PAGE);
    expect((await failureOf(register(store))).code).toBe('NO_SPACE');
    expect(readdirSync(entryDir)).toEqual(['.lock']);
    expect(available(store.root)).toBe(diskBytes - PAGE);
  });

  it('a registration SIGKILLed after its disk was renamed into place: the next one clears that orphan and fits where two disks would not', async () => {
    // Room for one disk and its metadata, not for two disks.
    const { store, entryDir } = await smallStore('killed-orphan', diskBytes + 2 * PAGE);
    const killed = await new Promise<{ signal: NodeJS.Signals | null }>((resolve, reject) => {
      const job = { store: store.root, volume, path: 'disk.erofs', name: NAME, digest: DIGEST, killAt: 'disk-renamed' };
      const child = spawn(process.execPath, [REGISTER_CHILD, JSON.stringify(job)], { stdio: 'ignore' });
      child.once('error', reject);
      child.once('close', (_code, signal) => resolve({ signal }));
    });
    expect(killed.signal).toBe('SIGKILL');
    // What the kill left: the whole disk, no metadata, its space taken.
    expect(readdirSync(entryDir).sort()).toEqual(['.lock', 'rootfs.erofs']);
    expect(available(store.root)).toBe(2 * PAGE);

    const reopened = await openStore(store.root);
    const { entry } = await register(reopened);
    expect(entry.status).toBe('ready');
    expect(sha256File(entry.diskPath)).toBe(entry.sha256);
    expect(readdirSync(entryDir).sort()).toEqual(['.lock', 'metadata.json', 'rootfs.erofs']);
  });
});
