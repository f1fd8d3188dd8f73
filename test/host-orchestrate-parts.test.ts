// The orchestrator's small parts on their own: the store's private work
// directories (a dead owner's are removed, a live one's never), deleting the
// agent's disk from a directory volume without leaving it, the name an image is
// filed under, and what a guest's text becomes before it reaches a terminal.
import { mkdir, mkdtemp, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReference } from '../core/reference.js';
import { guestText } from '../host/fast-path.js';
import { registrationReference } from '../host/orchestrate-context.js';
import { storeName } from '../host/store-name.js';
import { openStore, type ImageStore } from '../host/store.js';
import { makeStoreWorkDir } from '../host/store-work.js';
import { openVolume } from '../host/volume.js';
import { rejection } from './helpers/expect-error.js';

let work: string;
let store: ImageStore;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'orchestrate-parts-'));
  store = await openStore(join(work, 'store'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('store work directories', () => {
  it('are private directories under STORE/tmp, distinct, and gone after remove()', async () => {
    const [a, b] = await Promise.all([makeStoreWorkDir(store), makeStoreWorkDir(store)]);
    expect(a.path).not.toBe(b.path);
    expect((await stat(a.path)).mode & 0o777).toBe(0o700);
    await writeFile(join(a.path, 'rootfs.erofs'), 'x');
    await a.remove();
    await b.remove();
    expect(await readdir(join(store.root, 'tmp'))).toEqual([]);
  });

  it("remove a dead owner's leftovers (lock file nobody holds, directory without a lock) and keep a live one", async () => {
    const tmp = join(store.root, 'tmp');
    const live = await makeStoreWorkDir(store);
    await writeFile(join(live.path, 'rootfs.erofs'), 'being written');
    // What a SIGKILLed owner leaves: its flock died with it, the files stay.
    await mkdir(join(tmp, '0123456789abcdef'));
    await writeFile(join(tmp, '0123456789abcdef', 'rootfs.erofs'), 'half');
    await writeFile(join(tmp, '0123456789abcdef.lock'), '');
    await mkdir(join(tmp, 'fedcba9876543210'));
    const next = await makeStoreWorkDir(store);
    const names = await readdir(tmp);
    expect(names.sort()).toEqual([live.path, `${live.path}.lock`, next.path, `${next.path}.lock`].map((p) => p.slice(tmp.length + 1)).sort());
    expect(await readdir(live.path)).toEqual(['rootfs.erofs']);
    await live.remove();
    await next.remove();
  });
});

describe('removing the agent disk from a directory volume', () => {
  it('deletes the regular file at a checked path and refuses symlinks on the way', async () => {
    const volumeDir = join(work, 'volume');
    const outside = join(work, 'outside');
    await mkdir(join(volumeDir, 'out'), { recursive: true });
    await mkdir(outside);
    await writeFile(join(volumeDir, 'out/disk.erofs'), 'disk');
    await writeFile(join(outside, 'disk.erofs'), 'not the guest\'s');
    await symlink(outside, join(volumeDir, 'link'));
    await symlink(join(outside, 'disk.erofs'), join(volumeDir, 'out/file-link'));
    const volume = await openVolume(volumeDir);
    expect((await rejection(volume.removeDisk!('link/disk.erofs'))).code).toBe('PATH_REJECTED');
    expect((await rejection(volume.removeDisk!('out/file-link'))).code).toBe('PATH_REJECTED');
    expect((await rejection(volume.removeDisk!('out'))).code).toBe('NOT_REGULAR');
    expect((await rejection(volume.removeDisk!('../outside/disk.erofs'))).code).toBe('PATH_REJECTED');
    expect((await rejection(volume.removeDisk!('out/missing.erofs'))).code).toBe('NOT_FOUND');
    await volume.removeDisk!('out/disk.erofs');
    expect(await readdir(join(volumeDir, 'out'))).toEqual(['file-link']);
    expect(await readdir(outside)).toEqual(['disk.erofs']);
  });
});

describe('registration names', () => {
  const digest = `sha256:${'a'.repeat(64)}`;
  const other = `sha256:${'b'.repeat(64)}`;
  it.each([
    ['127.0.0.1:5000/team/app:v1', digest, '127.0.0.1:5000/team/app:v1'],
    ['127.0.0.1:5000/team/app', digest, '127.0.0.1:5000/team/app:latest'],
    [`127.0.0.1:5000/team/app@${digest}`, digest, `127.0.0.1:5000/team/app@${digest}`],
    [`127.0.0.1:5000/team/app:v1@${digest}`, digest, `127.0.0.1:5000/team/app@${digest}`],
    // Pinned to an index: the platform manifest has another digest.
    [`127.0.0.1:5000/team/app@${other}`, digest, '127.0.0.1:5000/team/app'],
    ['alpine', digest, 'docker.io/library/alpine:latest'],
  ])('%s converted to %s is filed as %s', (reference, manifestDigest, name) => {
    expect(storeName(registrationReference(parseReference(reference), manifestDigest), manifestDigest).text).toBe(name);
  });
});

describe('guest text', () => {
  it('turns control characters (terminal escapes) into ? and bounds the length', () => {
    expect(guestText('ok\u001b[2J\u0007\u009b31m\nend', 100)).toBe('ok?[2J??31m?end');
    expect(guestText('x'.repeat(50), 10)).toBe(`${'x'.repeat(10)}...`);
  });
});
