// The store across processes: concurrent registrations in separate node
// processes (the lock is a cross-process flock), and registrations killed with
// SIGKILL at random moments and at each step. Children run the built library
// (test/helpers/host-register-child.mjs over dist/).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReference } from '../core/reference.js';
import { listImages, openStore, registerPrebuiltImage, type ImageStore } from '../host/store.js';
import { openVolume } from '../host/volume.js';
import { builtHostFile, REGISTER_CHILD } from './helpers/host-dist.js';
import { fakeDigest, makeErofsDisk, sha256File, tempDir } from './helpers/host-disks.js';

const work = tempDir('host-store-proc');
const volume = join(work.path, 'volume');
const children = new Set<number>();
afterAll(() => {
  for (const pid of children) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  work.remove();
});

beforeAll(() => {
  builtHostFile('store.js');
  mkdirSync(volume);
  for (let i = 0; i < 4; i++) makeErofsDisk(join(volume, `disk-${i}.erofs`), { [`file-${i}`]: randomBytes(200_000) });
  // Several MB, so that a kill lands inside the copy as often as around it.
  makeErofsDisk(join(volume, 'big.erofs'), { big: randomBytes(8 * 1024 * 1024) });
});

interface ChildOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a registration in a child; `killAfterMs` counts from the moment it starts registering (after node and imports are up). */
function registerInChild(job: Record<string, unknown>, killAfterMs?: number): Promise<ChildOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [REGISTER_CHILD, JSON.stringify({ volume, ...job })], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child.pid!);
    let stdout = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (data: Buffer) => {
      stdout += data.toString();
      if (killAfterMs !== undefined && timer === undefined && stdout.startsWith('started\n')) {
        timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
    });
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      children.delete(child.pid!);
      resolve({ code, signal, stdout: stdout.replace(/^started\n/, ''), stderr });
    });
  });
}

/**
 * The store invariant, checked on the raw files: every metadata.json saying
 * ready stands next to a disk of its size and sha256; nothing else claims ready.
 * `onlyDigests` limits the (hashing) check to those entries.
 */
function assertNoReadyWithoutDisk(store: ImageStore, onlyDigests?: string[]): number {
  let ready = 0;
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(dir, entry.name));
      else if (entry.name === 'metadata.json' && (!onlyDigests || onlyDigests.some((digest) => dir.endsWith(digest.slice(7))))) {
        const metadata = JSON.parse(readFileSync(join(dir, entry.name), 'utf8')) as { status: string; diskFile: string; sizeBytes: number; sha256: string };
        expect(metadata.status).toBe('ready');
        const disk = join(dir, metadata.diskFile);
        expect(existsSync(disk)).toBe(true);
        expect(statSync(disk).size).toBe(metadata.sizeBytes);
        expect(sha256File(disk)).toBe(metadata.sha256);
        ready++;
      }
    }
  };
  walk(store.imagesDir);
  return ready;
}

function tempFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true }).filter((entry) => entry.name.startsWith('.tmp-')).map((entry) => entry.name);
}

describe('concurrent registrations', () => {
  it('32 processes, 4 digests x 8 each: every digest copied exactly once and ready, no temp files', async () => {
    const store = await openStore(join(work.path, 'store-concurrent'));
    const jobs = Array.from({ length: 32 }, (_, i) => ({
      store: store.root,
      path: `disk-${i % 4}.erofs`,
      name: `registry.internal/team/app-${i % 4}:run-${i}`,
      digest: fakeDigest(`concurrent-${i % 4}`),
    }));
    const outcomes = await Promise.all(jobs.map((job) => registerInChild(job)));
    for (const outcome of outcomes) expect(outcome, outcome.stderr).toMatchObject({ code: 0 });
    const results = outcomes.map((outcome) => JSON.parse(outcome.stdout) as { alreadyPresent: boolean; sha256: string });
    for (let digest = 0; digest < 4; digest++) {
      const mine = results.filter((_, i) => i % 4 === digest);
      expect(mine.filter((result) => !result.alreadyPresent)).toHaveLength(1);
      expect(new Set(mine.map((result) => result.sha256))).toEqual(new Set([sha256File(join(volume, `disk-${digest}.erofs`))]));
    }
    const images = await listImages(store);
    expect(images.map((image) => image.manifestDigest).sort()).toEqual([0, 1, 2, 3].map((i) => fakeDigest(`concurrent-${i}`)).sort());
    for (const image of images) expect(image.tags).toHaveLength(8);
    expect(assertNoReadyWithoutDisk(store)).toBe(4);
    expect(tempFiles(store.root)).toEqual([]);
  });
});

describe('registrations killed with SIGKILL', () => {
  it.each(['locked', 'disk-copied', 'disk-renamed'])('at step %s: no ready entry; after openStore no temp file, and the next registration completes', async (step) => {
    const store = await openStore(join(work.path, `store-step-${step}`));
    const job = { store: store.root, path: 'big.erofs', name: 'registry.internal/team/big:v1', digest: fakeDigest(`step-${step}`) };
    expect(await registerInChild({ ...job, killAt: step })).toMatchObject({ signal: 'SIGKILL' });
    expect(await listImages(store)).toEqual([]);
    expect(assertNoReadyWithoutDisk(store)).toBe(0);
    expect(tempFiles((await openStore(store.root)).root)).toEqual([]);
    const retry = await registerInChild(job);
    expect(retry, retry.stderr).toMatchObject({ code: 0 });
    expect(JSON.parse(retry.stdout)).toMatchObject({ alreadyPresent: false, sha256: sha256File(join(volume, 'big.erofs')) });
    expect(assertNoReadyWithoutDisk(store)).toBe(1);
    expect(tempFiles(store.root)).toEqual([]);
  });

  it.each(['metadata-renamed', 'tag-temp-linked'])('at step %s the entry is ready and whole; openStore removes the temp tag link', async (step) => {
    const store = await openStore(join(work.path, `store-step-${step}`));
    const job = { store: store.root, path: 'big.erofs', name: 'registry.internal/team/big:v1', digest: fakeDigest(`step-${step}`) };
    expect(await registerInChild({ ...job, killAt: step })).toMatchObject({ signal: 'SIGKILL' });
    expect(assertNoReadyWithoutDisk(store)).toBe(1);
    expect(tempFiles((await openStore(store.root)).root)).toEqual([]);
    expect(JSON.parse((await registerInChild(job)).stdout)).toMatchObject({ alreadyPresent: true });
    expect((await listImages(store))[0]?.tags).toEqual(['v1']);
  });

  it('30 kills at random moments never leave a ready entry without its valid disk; later registrations succeed', async () => {
    const store = await openStore(join(work.path, 'store-random-kills'));
    const job = (i: number) => ({ store: store.root, path: 'big.erofs', name: `registry.internal/team/big:kill-${i}`, digest: fakeDigest(`kill-${i}`) });
    // One undisturbed run sets the time scale; the kills are spread over 0..1.2x of its registration time.
    const undisturbed = await registerInChild(job(-1), 60_000);
    expect(undisturbed).toMatchObject({ code: 0 });
    const fullRunMs = (JSON.parse(undisturbed.stdout) as { registrationMs: number }).registrationMs;
    const signals: (string | null)[] = [];
    // Three at a time (separate digests): the kills stay random, the suite stays short.
    for (let batch = 0; batch < 30; batch += 3) {
      const jobs = [0, 1, 2].map((k) => job(batch + k));
      const outcomes = await Promise.all(jobs.map((one) => registerInChild(one, Math.floor(Math.random() * fullRunMs * 1.2))));
      signals.push(...outcomes.map((outcome) => outcome.signal));
      assertNoReadyWithoutDisk(store, jobs.map((one) => one.digest));
    }
    expect(signals.filter((signal) => signal === 'SIGKILL').length).toBeGreaterThan(0);
    const reopened = await openStore(store.root);
    expect(tempFiles(reopened.root)).toEqual([]);
    const volumeDisks = await openVolume(volume);
    for (let i = 0; i < 30; i++) {
      const { entry } = await registerPrebuiltImage(reopened, { reference: parseReference(job(i).name), manifestDigest: job(i).digest, source: 'agent', disk: await volumeDisks.openDisk('big.erofs') });
      expect(entry.sha256).toBe(sha256File(join(volume, 'big.erofs')));
    }
    expect(assertNoReadyWithoutDisk(store)).toBe(31);
    expect((await listImages(store)).length).toBe(31);
  });
});
