import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { fsextra } from '../agent/native/fsextra.js';
import { buildImage, buildTar, contentBytes, contentSha256, MEDIA_TYPES, pushImage, pushIndex, sha256Digest, type EntrySpec, type ImageSpec, type LayerCompressionSpec } from '../testkit/fixtures/index.js';
import { decompressLayer, fetchFromRegistry, readTar, type TarMember } from '../testkit/fixtures/readback.js';

const registry = inject('registryAddress');
const scratch = mkdtempSync(join(tmpdir(), 'fixtures-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const LONG_NAME = `usr/share/${'long-directory-name/'.repeat(6)}${'f'.repeat(20)}`; // 150 chars
// security.capability v2 granting cap_net_bind_service: bytes 0x00..0x7f only, so tar-stream's string PAX values keep them.
const CAPABILITY = Buffer.from([1, 0, 0, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
const BINARY_XATTR = Buffer.from([0xff, 0x00, 0x80, 0x7f, 0xc3]); // not valid UTF-8

const EVERY_TYPE: EntrySpec[] = [
  { type: 'dir', path: 'usr', mode: 0o755, mtime: 1_600_000_000 },
  { type: 'dir', path: 'tmp', mode: 0o1777 },
  { type: 'file', path: 'usr/bin/ping', content: 'ping binary', mode: 0o4755, uid: 0, gid: 0, xattrs: { 'security.capability': CAPABILITY, 'user.note': 'text value' } },
  { type: 'file', path: 'usr/bin/wall', content: { size: 100_000, seed: 7 }, mode: 0o2755, uid: 0, gid: 5 },
  { type: 'file', path: 'home/user/secret', content: 'x', mode: 0o000, uid: 1000, gid: 1000, mtime: 1_234_567_890 },
  { type: 'symlink', path: 'bin', target: 'usr/bin' },
  { type: 'hardlink', path: 'usr/bin/ping6', target: 'usr/bin/ping' },
  { type: 'char', path: 'dev/null', major: 1, minor: 3, mode: 0o666 },
  { type: 'block', path: 'dev/loop7', major: 7, minor: 7, mode: 0o660, gid: 6 },
  { type: 'fifo', path: 'run/initctl', mode: 0o600 },
  { type: 'whiteout', path: 'etc/removed.conf' },
  { type: 'opaque', dir: 'var/cache' },
  { type: 'file', path: LONG_NAME, content: 'deep' },
];

/** Byte comparison through sha256: vitest's deep equality walks a Buffer byte by byte (0.7 s per 100 kB). */
function fingerprint(bytes: Buffer | undefined): string {
  return bytes === undefined ? 'missing' : `${bytes.length} bytes, ${sha256Digest(bytes)}`;
}

function byName(members: TarMember[]): Map<string, TarMember> {
  return new Map(members.map((member) => [member.header.name, member]));
}

/** Asserts the tar-stream view of EVERY_TYPE written as a tar. */
function expectEveryType(members: TarMember[]): void {
  const m = byName(members);
  expect([...m.keys()]).toEqual(['usr/', 'tmp/', 'usr/bin/ping', 'usr/bin/wall', 'home/user/secret', 'bin', 'usr/bin/ping6', 'dev/null', 'dev/loop7', 'run/initctl', 'etc/.wh.removed.conf', 'var/cache/.wh..wh..opq', LONG_NAME]);
  expect(m.get('usr/')?.header).toMatchObject({ type: 'directory', mode: 0o755, mtime: new Date(1_600_000_000_000) });
  expect(m.get('tmp/')?.header).toMatchObject({ type: 'directory', mode: 0o1777 });
  const ping = m.get('usr/bin/ping');
  expect(ping?.header).toMatchObject({ type: 'file', mode: 0o4755, uid: 0, gid: 0, size: 11, mtime: new Date(1_700_000_000_000) });
  expect(ping?.body.toString()).toBe('ping binary');
  expect(Buffer.from(ping?.header.pax?.['SCHILY.xattr.security.capability'] ?? '', 'utf8')).toEqual(CAPABILITY);
  expect(ping?.header.pax?.['SCHILY.xattr.user.note']).toBe('text value');
  const wall = m.get('usr/bin/wall');
  expect(wall?.header).toMatchObject({ type: 'file', mode: 0o2755, gid: 5, size: 100_000 });
  expect(createHash('sha256').update(wall?.body ?? '').digest('hex')).toBe(contentSha256({ size: 100_000, seed: 7 }));
  expect(m.get('home/user/secret')?.header).toMatchObject({ mode: 0, uid: 1000, gid: 1000, mtime: new Date(1_234_567_890_000) });
  expect(m.get('bin')?.header).toMatchObject({ type: 'symlink', linkname: 'usr/bin', mode: 0o777 });
  expect(m.get('usr/bin/ping6')?.header).toMatchObject({ type: 'link', linkname: 'usr/bin/ping', size: 0 });
  expect(m.get('dev/null')?.header).toMatchObject({ type: 'character-device', devmajor: 1, devminor: 3, mode: 0o666 });
  expect(m.get('dev/loop7')?.header).toMatchObject({ type: 'block-device', devmajor: 7, devminor: 7, mode: 0o660, gid: 6 });
  expect(m.get('run/initctl')?.header).toMatchObject({ type: 'fifo', mode: 0o600 });
  expect(m.get('etc/.wh.removed.conf')?.header).toMatchObject({ type: 'file', size: 0 });
  expect(m.get('var/cache/.wh..wh..opq')?.header).toMatchObject({ type: 'file', size: 0 });
  expect(LONG_NAME).toHaveLength(150);
  expect(m.get(LONG_NAME)?.body.toString()).toBe('deep');
}

describe('tar writer', () => {
  it('writes every entry type so that tar-stream reads back exactly the spec', async () => {
    expectEveryType(await readTar(buildTar(EVERY_TYPE)));
  });

  it('writes long names and link targets as GNU L/K records when asked', async () => {
    const longTarget = `/${'t'.repeat(120)}`;
    const entries: EntrySpec[] = [
      { type: 'file', path: LONG_NAME, content: 'gnu' },
      { type: 'symlink', path: 'link', target: longTarget },
    ];
    const tar = buildTar(entries, 'gnu');
    expect(tar.includes('././@LongLink')).toBe(true);
    expect(tar.includes('PaxHeaders')).toBe(false);
    const [file, link] = await readTar(tar);
    expect(file?.header.name).toBe(LONG_NAME);
    expect(link?.header.linkname).toBe(longTarget);
  });

  it('GNU tar extracts it with binary xattrs, special bits, PAX uids, devices and hardlinks intact', () => {
    const entries: EntrySpec[] = [
      ...EVERY_TYPE.filter((entry) => entry.type !== 'whiteout' && entry.type !== 'opaque'),
      { type: 'file', path: 'big-ids', content: 'ids', uid: 3_000_000, gid: 4_000_000, xattrs: { 'user.binary': BINARY_XATTR } },
    ];
    const tarPath = join(scratch, 'every-type.tar');
    const root = mkdtempSync(join(scratch, 'gnutar-'));
    writeFileSync(tarPath, buildTar(entries));
    execFileSync('tar', ['--xattrs', '--xattrs-include=*', '--numeric-owner', '-xpf', tarPath, '-C', root]);

    expect(fsextra.lgetxattr(join(root, 'big-ids'), 'user.binary')).toEqual(BINARY_XATTR);
    expect(fsextra.lgetxattr(join(root, 'usr/bin/ping'), 'security.capability')).toEqual(CAPABILITY);
    const ids = lstatSync(join(root, 'big-ids'));
    expect([ids.uid, ids.gid]).toEqual([3_000_000, 4_000_000]);
    expect(lstatSync(join(root, 'usr/bin/ping')).mode & 0o7777).toBe(0o4755);
    expect(lstatSync(join(root, 'usr/bin/wall')).mode & 0o7777).toBe(0o2755);
    expect(lstatSync(join(root, 'tmp')).mode & 0o7777).toBe(0o1777);
    expect(lstatSync(join(root, 'home/user/secret')).mode & 0o7777).toBe(0);
    expect(lstatSync(join(root, 'usr/bin/ping6')).ino).toBe(lstatSync(join(root, 'usr/bin/ping')).ino);
    expect(lstatSync(join(root, 'dev/null')).rdev).toBe((1 << 8) | 3);
    expect(lstatSync(join(root, 'run/initctl')).isFIFO()).toBe(true);
    expect(readlinkSync(join(root, 'bin'))).toBe('usr/bin');
    expect(readFileSync(join(root, LONG_NAME), 'utf8')).toBe('deep');
  });

  it('is deterministic: the same spec gives the same bytes, a changed mtime does not', () => {
    const spec: ImageSpec = { layers: [{ entries: EVERY_TYPE, compression: 'gzip' }, { entries: EVERY_TYPE, compression: 'zstd' }] };
    const first = buildImage(spec);
    const second = buildImage(structuredClone(spec));
    expect(fingerprint(second.manifest.bytes)).toBe(fingerprint(first.manifest.bytes));
    expect(second.layers.map((layer) => fingerprint(layer.bytes))).toEqual(first.layers.map((layer) => fingerprint(layer.bytes)));
    const touched = buildImage({ layers: [{ entries: [{ type: 'dir', path: 'usr', mode: 0o755, mtime: 1 }, ...EVERY_TYPE.slice(1)] }, spec.layers[1] ?? { entries: [] }] });
    expect(touched.layers[0]?.digest).not.toBe(first.layers[0]?.digest);
    expect(touched.layers[1]?.digest).toBe(first.layers[1]?.digest);
  });

  it('generated content is the same whether held whole or hashed in chunks', () => {
    const spec = { size: 3 * 1024 * 1024 + 17, seed: 42 };
    expect(createHash('sha256').update(contentBytes(spec)).digest('hex')).toBe(contentSha256(spec));
    expect(contentBytes({ size: 64, seed: 1 })).not.toEqual(contentBytes({ size: 64, seed: 2 }));
  });
});

describe('images pushed to the test registry', () => {
  const compressions: LayerCompressionSpec[] = ['gzip', 'zstd', 'none'];

  it('pulls back a multi-layer OCI image byte-identical, every digest checked, every entry intact', async () => {
    const spec: ImageSpec = {
      layers: compressions.map((compression) => ({ entries: EVERY_TYPE, compression })),
      config: { Entrypoint: ['/bin/sh'], Env: ['PATH=/usr/bin'] },
      platform: { os: 'linux', architecture: 'arm', variant: 'v7' },
    };
    const image = await pushImage(registry, 'fixtures/every-type', spec, { tag: 'v1' });
    expect(image.reference).toBe(`${registry}/fixtures/every-type:v1`);
    expect(image.digestReference).toBe(`${registry}/fixtures/every-type@${image.manifest.digest}`);

    const manifest = await fetchFromRegistry(registry, 'fixtures/every-type', 'manifests', 'v1', MEDIA_TYPES.oci.manifest);
    expect(manifest).toMatchObject({ status: 200, contentType: MEDIA_TYPES.oci.manifest, claimedDigest: image.manifest.digest });
    expect(fingerprint(manifest.bytes)).toBe(fingerprint(image.manifest.bytes));
    expect(sha256Digest(manifest.bytes)).toBe(image.manifest.digest);
    const parsed = JSON.parse(manifest.bytes.toString()) as { config: { digest: string; mediaType: string }; layers: Array<{ digest: string; mediaType: string; size: number }> };
    expect(parsed.config).toMatchObject({ digest: image.config.digest, mediaType: MEDIA_TYPES.oci.config });
    expect(parsed.layers.map((layer) => layer.mediaType)).toEqual(compressions.map((c) => MEDIA_TYPES.oci.layer[c]));

    const config = await fetchFromRegistry(registry, 'fixtures/every-type', 'blobs', parsed.config.digest);
    expect(fingerprint(config.bytes)).toBe(fingerprint(image.config.bytes));
    expect(sha256Digest(config.bytes)).toBe(parsed.config.digest);
    const configJson = JSON.parse(config.bytes.toString()) as { architecture: string; variant: string; os: string; config: object; rootfs: { type: string; diff_ids: string[] }; history: unknown[] };
    expect(configJson).toMatchObject({ os: 'linux', architecture: 'arm', variant: 'v7', config: { Entrypoint: ['/bin/sh'], Env: ['PATH=/usr/bin'] } });
    expect(configJson.rootfs.type).toBe('layers');
    expect(configJson.history).toHaveLength(3);

    for (const [i, descriptor] of parsed.layers.entries()) {
      const blob = await fetchFromRegistry(registry, 'fixtures/every-type', 'blobs', descriptor.digest);
      expect(blob.status).toBe(200);
      expect(fingerprint(blob.bytes)).toBe(fingerprint(image.layers[i]?.bytes));
      expect(sha256Digest(blob.bytes)).toBe(descriptor.digest);
      expect(blob.bytes.length).toBe(descriptor.size);
      const tar = decompressLayer(blob.bytes, compressions[i] as LayerCompressionSpec);
      expect(sha256Digest(tar)).toBe(configJson.rootfs.diff_ids[i]);
      expectEveryType(await readTar(tar));
    }
  });

  it('writes Docker schema2 manifests with Docker media types', async () => {
    const image = await pushImage(registry, 'fixtures/docker', { format: 'docker', layers: compressions.map((compression) => ({ entries: [{ type: 'file', path: compression, content: compression }], compression })) });
    const manifest = await fetchFromRegistry(registry, 'fixtures/docker', 'manifests', 'latest', MEDIA_TYPES.docker.manifest);
    expect(manifest).toMatchObject({ status: 200, contentType: MEDIA_TYPES.docker.manifest, claimedDigest: image.manifest.digest });
    expect(fingerprint(manifest.bytes)).toBe(fingerprint(image.manifest.bytes));
    const parsed = JSON.parse(manifest.bytes.toString()) as { mediaType: string; config: { mediaType: string }; layers: Array<{ mediaType: string }> };
    expect(parsed.mediaType).toBe(MEDIA_TYPES.docker.manifest);
    expect(parsed.config.mediaType).toBe('application/vnd.docker.container.image.v1+json');
    expect(parsed.layers.map((layer) => layer.mediaType)).toEqual([
      'application/vnd.docker.image.rootfs.diff.tar.gzip',
      'application/vnd.docker.image.rootfs.diff.tar.zstd',
      'application/vnd.docker.image.rootfs.diff.tar',
    ]);
  });

  for (const format of ['oci', 'docker'] as const) {
    it(`pushes a multi-platform ${format === 'oci' ? 'OCI index' : 'Docker manifest list'} whose children resolve by digest`, async () => {
      const platforms = [
        { os: 'linux', architecture: 'amd64' },
        { os: 'linux', architecture: 'arm64', variant: 'v8' },
      ];
      const repository = `fixtures/multi-${format}`;
      const pushed = await pushIndex(registry, repository, platforms.map((platform) => ({ platform, layers: [{ entries: [{ type: 'file', path: 'arch', content: platform.architecture }] }] })), { format, tag: 'multi' });

      const index = await fetchFromRegistry(registry, repository, 'manifests', 'multi', MEDIA_TYPES[format].index);
      expect(index).toMatchObject({ status: 200, contentType: MEDIA_TYPES[format].index, claimedDigest: pushed.index.digest });
      expect(fingerprint(index.bytes)).toBe(fingerprint(pushed.index.bytes));
      const parsed = JSON.parse(index.bytes.toString()) as { mediaType: string; manifests: Array<{ mediaType: string; digest: string; size: number; platform: object }> };
      expect(parsed.mediaType).toBe(MEDIA_TYPES[format].index);
      expect(parsed.manifests.map((m) => m.platform)).toEqual(platforms);

      for (const [i, child] of parsed.manifests.entries()) {
        expect(child.mediaType).toBe(MEDIA_TYPES[format].manifest);
        const fetched = await fetchFromRegistry(registry, repository, 'manifests', child.digest, MEDIA_TYPES[format].manifest);
        expect(fingerprint(fetched.bytes)).toBe(fingerprint(pushed.images[i]?.manifest.bytes));
        expect(sha256Digest(fetched.bytes)).toBe(child.digest);
        expect(fetched.bytes.length).toBe(child.size);
      }
      const config = await fetchFromRegistry(registry, repository, 'blobs', pushed.images[1]?.config.digest ?? '');
      expect(JSON.parse(config.bytes.toString())).toMatchObject({ architecture: 'arm64', variant: 'v8', os: 'linux' });
    });
  }
});
