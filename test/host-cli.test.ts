// builder-host images / register, run as the built bin (dist/host/cli.js).
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtHostFile } from './helpers/host-dist.js';
import { fakeDigest, HOSTILE, makeExt4Volume, makeHostileVolumeTree, sha256File, tempDir } from './helpers/host-disks.js';

const work = tempDir('host-cli');
afterAll(() => work.remove());
const volumeDir = join(work.path, 'volume');
const store = join(work.path, 'store');
let cli: string;
let volumeImage: string;
let good: { goodSha256: string; goodSize: number };

beforeAll(() => {
  cli = builtHostFile('cli.js');
  mkdirSync(volumeDir);
  good = makeHostileVolumeTree(volumeDir);
  volumeImage = makeExt4Volume(volumeDir, join(work.path, 'volume.ext4'));
});

function builderHost(...args: string[]) {
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function registerArgs(overrides: Record<string, string> = {}, ...flags: string[]): string[] {
  const options = { store, volume: volumeDir, path: HOSTILE.good, name: 'registry.internal:5000/team/app:v1', digest: fakeDigest('cli-app'), ...overrides };
  return ['register', ...Object.entries(options).flatMap(([key, value]) => [`--${key}`, value]), ...flags];
}

describe('builder-host register', () => {
  it('registers a disk from a directory volume and prints the entry as JSON', () => {
    const run = builderHost(...registerArgs({ size: String(good.goodSize), sha256: good.goodSha256 }, '--json'));
    expect(run, run.stderr).toMatchObject({ code: 0 });
    const output = JSON.parse(run.stdout) as { image: Record<string, unknown>; alreadyPresent: boolean; volume: string };
    expect(output).toMatchObject({
      alreadyPresent: false,
      volume: 'directory',
      image: { name: 'registry.internal:5000/team/app:v1', manifestDigest: fakeDigest('cli-app'), status: 'ready', format: 'erofs', source: 'agent', sha256: good.goodSha256, sizeBytes: good.goodSize, tags: ['v1'] },
    });
    expect(sha256File(output.image.diskPath as string)).toBe(good.goodSha256);
  });

  it('says so when the digest is already registered', () => {
    const run = builderHost(...registerArgs());
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('already present');
  });

  it('registers from an ext4 volume image, and an ext4 disk with --format ext4', () => {
    const fromImage = builderHost(...registerArgs({ volume: volumeImage, digest: fakeDigest('cli-image'), name: 'registry.internal:5000/team/img:v1' }, '--json'));
    expect(fromImage, fromImage.stderr).toMatchObject({ code: 0 });
    expect(JSON.parse(fromImage.stdout)).toMatchObject({ volume: 'ext4-image', image: { sha256: good.goodSha256 } });
    const ext4 = builderHost(...registerArgs({ path: HOSTILE.goodExt4, format: 'ext4', digest: fakeDigest('cli-ext4'), name: 'registry.internal:5000/team/ext4:v1' }, '--json'));
    expect(ext4, ext4.stderr).toMatchObject({ code: 0 });
    expect(JSON.parse(ext4.stdout)).toMatchObject({ image: { format: 'ext4', diskFile: 'rootfs.ext4' } });
  });

  it.each([
    ['a symlink to /etc/passwd', { path: HOSTILE.symlinkToPasswd }, 'PATH_REJECTED'],
    ['a fifo in the image volume', { path: HOSTILE.fifo, volume: 'IMAGE' }, 'NOT_REGULAR'],
    ['random bytes', { path: HOSTILE.badMagic }, 'BAD_SUPERBLOCK'],
    ['a lying --sha256', { sha256: `sha256:${'0'.repeat(64)}` }, 'DIGEST_MISMATCH'],
    ['a lying --size', { size: '4096' }, 'SIZE_MISMATCH'],
    ['a disk above --size-limit', { 'size-limit': '4096' }, 'SIZE_LIMIT'],
    ['a bad name', { name: 'registry.internal/../x:v1' }, 'INVALID_REFERENCE'],
  ])('fails on %s with {"error":{code,message}} and exit 1', (_what, overrides, code) => {
    const options: Record<string, string> = { digest: fakeDigest(`cli-fail-${code}`), ...overrides };
    if (options.volume === 'IMAGE') options.volume = volumeImage;
    const run = builderHost(...registerArgs(options, '--json'));
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual({ error: { code, message: expect.any(String) as unknown } });
  });

  it('fails readably without --json, and with exit 2 on bad usage', () => {
    const hostile = builderHost(...registerArgs({ path: HOSTILE.viaSymlinkParent, digest: fakeDigest('cli-readable') }));
    expect(hostile).toMatchObject({ code: 1, stdout: '' });
    expect(hostile.stderr).toMatch(/^builder-host register: PATH_REJECTED: .*link-to-out is a symlink/);
    const usage = builderHost('register', '--store', store, '--json');
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.stdout)).toMatchObject({ error: { code: 'INVALID_ARGUMENT', message: expect.stringContaining('--volume is required') as unknown } });
    const unknown = builderHost('register', '--bogus');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown option '--bogus'");
    const format = builderHost(...registerArgs({ format: 'squashfs' }));
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('--format must be one of erofs, ext4');
  });
});

describe('builder-host images', () => {
  it('lists the ready images as JSON and as a table', () => {
    const json = builderHost('images', '--store', store, '--json');
    expect(json, json.stderr).toMatchObject({ code: 0 });
    const { images } = JSON.parse(json.stdout) as { images: { repository: string; tags: string[]; manifestDigest: string }[] };
    expect(images.map((image) => [image.repository, image.tags, image.manifestDigest])).toEqual([
      ['registry.internal:5000/team/app', ['v1'], fakeDigest('cli-app')],
      ['registry.internal:5000/team/ext4', ['v1'], fakeDigest('cli-ext4')],
      ['registry.internal:5000/team/img', ['v1'], fakeDigest('cli-image')],
    ]);
    const table = builderHost('images', '--store', store);
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^REPOSITORY\s+TAGS\s+DIGEST\s+FORMAT\s+SIZE\s+SOURCE\s+CREATED$/);
    expect(lines.slice(1).map((line) => line.split(/\s+/).slice(0, 4))).toEqual([
      ['registry.internal:5000/team/app', 'v1', fakeDigest('cli-app').slice(0, 19), 'erofs'],
      ['registry.internal:5000/team/ext4', 'v1', fakeDigest('cli-ext4').slice(0, 19), 'ext4'],
      ['registry.internal:5000/team/img', 'v1', fakeDigest('cli-image').slice(0, 19), 'erofs'],
    ]);
  });

  it('needs --store', () => {
    expect(builderHost('images')).toMatchObject({ code: 2, stderr: expect.stringContaining('--store is required') as unknown });
  });
});
