// resolveImage against the real test registry: every manifest kind, platform
// picks (checked by content, not just by digest), pinned digests, and images
// that must be refused.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { resolveImage } from '../agent/oci/resolve.js';
import { hostPlatform } from '../core/platform.js';
import { buildImage, buildIndex, overwriteStoredBlob, pushBuiltImage, pushImage, pushIndex, sha256Digest, storedBlobPath, type BuiltImage } from '../testkit/fixtures/index.js';
import { startRegistry, type TestRegistry } from '../testkit/registry/index.js';
import { startFaultProxy } from '../testkit/fault-proxy.js';
import { layerFiles, platformImage, pullAll } from './oci/helpers.js';

const registry = inject('registryAddress');
const OPTS = { insecure: true, retries: 0 };
const FILES = [{ type: 'file' as const, path: 'etc/motd', content: 'hello\n' }];
const RUNTIME = {
  Entrypoint: ['/bin/app'],
  Cmd: ['--serve'],
  Env: ['PATH=/usr/bin', 'MODE=test'],
  WorkingDir: '/srv',
  User: '1000:1000',
  ExposedPorts: { '8080/tcp': {} },
  Labels: { 'org.example.name': 'fixture' },
};

describe('manifest kinds', () => {
  for (const format of ['oci', 'docker'] as const) {
    it(`${format} image manifest: digests, media types, config for registration, layers with diff_ids`, async () => {
      const image = await pushImage(registry, `resolve/${format}-manifest`, {
        format,
        layers: [{ entries: FILES, compression: 'gzip' }, { entries: FILES, compression: format === 'oci' ? 'zstd' : 'none' }],
        config: RUNTIME,
      });
      const resolved = await resolveImage(image.reference, OPTS);
      expect(resolved).toMatchObject({
        reference: image.reference,
        registry,
        repository: `resolve/${format}-manifest`,
        manifestDigest: image.manifest.digest,
        manifestMediaType: image.manifest.mediaType,
        platform: hostPlatform(),
        configDigest: image.config.digest,
      });
      expect(resolved.indexDigest).toBeUndefined();
      expect(resolved.configRaw.equals(image.config.bytes)).toBe(true);
      expect(resolved.config.config).toEqual(RUNTIME);
      expect(resolved.layers).toEqual(
        image.layers.map((layer) => ({ digest: layer.digest, mediaType: layer.mediaType, size: layer.size, diffId: layer.diffId, compression: layer.compression })),
      );
    });

    it(`${format} ${format === 'oci' ? 'index' : 'manifest list'} with the wanted platform second: picks it, and the content proves it`, async () => {
      const pushed = await pushIndex(registry, `resolve/${format}-index`, [platformImage('linux', 'amd64'), platformImage('linux', 'arm64', 'v8')], { format });
      const resolved = await resolveImage(pushed.reference, { ...OPTS, platform: 'linux/arm64' });
      const arm = pushed.images[1] as BuiltImage;
      expect(resolved.indexDigest).toBe(pushed.index.digest);
      expect(resolved.indexMediaType).toBe(pushed.index.mediaType);
      expect(resolved.manifestDigest).toBe(arm.manifest.digest);
      expect(resolved.manifestMediaType).toBe(arm.manifest.mediaType);
      expect(resolved.platform).toEqual({ os: 'linux', architecture: 'arm64' }); // v8 is arm64's default variant
      expect(resolved.config.config?.Labels).toEqual({ platform: 'linux/arm64/v8' });
      const [layer] = await pullAll(resolved, OPTS);
      expect(await layerFiles(layer as Buffer, 'gzip')).toEqual({ 'platform.txt': 'linux/arm64/v8\n' });
    });
  }

  it('defaults to the platform the agent runs on', async () => {
    const own = hostPlatform();
    const other = own.architecture === 'amd64' ? 's390x' : 'amd64';
    const pushed = await pushIndex(registry, 'resolve/default-platform', [platformImage('linux', other), platformImage(own.os, own.architecture)]);
    const resolved = await resolveImage(pushed.reference, OPTS);
    expect(resolved.manifestDigest).toBe(pushed.images[1]?.manifest.digest);
    expect(resolved.config.config?.Labels?.platform).toBe(`${own.os}/${own.architecture}`);
  });

  it('arm: the exact variant wins over a lower one listed first; a v7 host takes v6 when that is all there is', async () => {
    const pushed = await pushIndex(registry, 'resolve/arm', [platformImage('linux', 'arm', 'v6'), platformImage('linux', 'arm', 'v7')]);
    const v7 = await resolveImage(pushed.reference, { ...OPTS, platform: 'linux/arm/v7' });
    expect(v7.config.config?.Labels?.platform).toBe('linux/arm/v7');
    const v6only = await pushIndex(registry, 'resolve/arm-v6', [platformImage('linux', 'arm', 'v6')]);
    const fallback = await resolveImage(v6only.reference, { ...OPTS, platform: 'linux/armhf' });
    expect(fallback.platform).toEqual({ os: 'linux', architecture: 'arm', variant: 'v6' });
    await expect(resolveImage(pushed.reference, { ...OPTS, platform: 'linux/arm/v5' })).rejects.toMatchObject({ code: 'PLATFORM_NOT_FOUND' });
  });

  it('PLATFORM_NOT_FOUND lists the platforms the index has', async () => {
    const pushed = await pushIndex(registry, 'resolve/no-match', [platformImage('linux', 'amd64'), platformImage('linux', 'arm', 'v7')]);
    const error = await resolveImage(pushed.reference, { ...OPTS, platform: 'linux/riscv64' }).catch((err: unknown) => err);
    expect(error).toMatchObject({ code: 'PLATFORM_NOT_FOUND' });
    expect((error as Error).message).toContain('linux/riscv64');
    expect((error as Error).message).toContain('available: linux/amd64, linux/arm/v7');
  });

  it('a single-platform manifest for another platform is PLATFORM_NOT_FOUND, not a silent wrong pick', async () => {
    const image = await pushImage(registry, 'resolve/single-arm64', platformImage('linux', 'arm64'));
    await expect(resolveImage(image.reference, { ...OPTS, platform: 'linux/amd64' })).rejects.toMatchObject({ code: 'PLATFORM_NOT_FOUND' });
    expect((await resolveImage(image.reference, { ...OPTS, platform: 'linux/aarch64' })).manifestDigest).toBe(image.manifest.digest);
  });

  it('an index whose entry lies about the platform its config states is MANIFEST_INVALID', async () => {
    const amd = buildImage(platformImage('linux', 'amd64'));
    await pushBuiltImage(registry, 'resolve/lying-index', amd, { tag: 'amd' });
    // The index claims the amd64 image is arm64.
    const index = buildIndex([{ ...amd, platform: { os: 'linux', architecture: 'arm64' } }], 'oci');
    // pushBuiltImage pushes config and layers (already there) and then `manifest`: here, the index.
    await pushBuiltImage(registry, 'resolve/lying-index', { ...amd, layers: [], manifest: index }, { tag: 'index' });
    const error = await resolveImage(`${registry}/resolve/lying-index:index`, { ...OPTS, platform: 'linux/arm64' }).catch((err: unknown) => err);
    expect(error).toMatchObject({ code: 'MANIFEST_INVALID' });
    expect((error as Error).message).toMatch(/index lists it for linux\/arm64 but its config says linux\/amd64/);
  });
});

describe('references', () => {
  it('by digest, and tag@digest where the digest wins over a tag that points elsewhere', async () => {
    const first = await pushImage(registry, 'resolve/pinned', { layers: [{ entries: FILES }] }, { tag: 'v1' });
    const second = await pushImage(registry, 'resolve/pinned', { layers: [{ entries: [{ type: 'file', path: 'v2', content: '2' }] }] }, { tag: 'v2' });
    expect((await resolveImage(first.digestReference, OPTS)).manifestDigest).toBe(first.manifest.digest);
    const both = await resolveImage(`${registry}/resolve/pinned:v2@${first.manifest.digest}`, OPTS);
    expect(both.manifestDigest).toBe(first.manifest.digest);
    expect(both.reference).toBe(`${registry}/resolve/pinned:v2@${first.manifest.digest}`);
    expect(both.manifestDigest).not.toBe(second.manifest.digest);
  });

  it('NOT_FOUND for an unknown tag, digest or repository', async () => {
    await pushImage(registry, 'resolve/exists', { layers: [{ entries: FILES }] });
    await expect(resolveImage(`${registry}/resolve/exists:nope`, OPTS)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(resolveImage(`${registry}/resolve/exists@sha256:${'0'.repeat(64)}`, OPTS)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(resolveImage(`${registry}/resolve/never-pushed:latest`, OPTS)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('a manifest of exactly 4 MiB (the most distribution serves) is accepted', async () => {
    const base = buildImage({ layers: [{ entries: FILES }], annotations: { pad: '' } }).manifest.size;
    const image = await pushImage(registry, 'resolve/four-mib', { layers: [{ entries: FILES }], annotations: { pad: 'x'.repeat(4 * 1024 * 1024 - base) } });
    expect(image.manifest.size).toBe(4 * 1024 * 1024);
    expect((await resolveImage(image.reference, OPTS)).manifestDigest).toBe(image.manifest.digest);
  });
});

describe('images that must be refused', () => {
  it('an unknown layer media type is UNSUPPORTED_MEDIA_TYPE naming it', async () => {
    const mediaType = 'application/vnd.example.mystery.layer.v1+tar';
    const image = await pushImage(registry, 'resolve/mystery', { layers: [{ entries: FILES }, { entries: FILES, fault: { kind: 'media-type', mediaType } }] });
    const error = await resolveImage(image.reference, OPTS).catch((err: unknown) => err);
    expect(error).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
    expect((error as Error).message).toContain(mediaType);
  });

  it('a config whose diff_ids do not match the layer count is MANIFEST_INVALID', async () => {
    const built = buildImage({ layers: [{ entries: FILES }, { entries: FILES, compression: 'none' }] });
    const manifest = JSON.parse(built.manifest.bytes.toString()) as { layers: unknown[] };
    manifest.layers.pop(); // two diff_ids in the config, one layer in the manifest
    const bytes = Buffer.from(JSON.stringify(manifest));
    const broken = { ...built, manifest: { ...built.manifest, bytes, size: bytes.length, digest: sha256Digest(bytes) } };
    const pushed = await pushBuiltImage(registry, 'resolve/count-mismatch', broken);
    const error = await resolveImage(pushed.reference, OPTS).catch((err: unknown) => err);
    expect(error).toMatchObject({ code: 'MANIFEST_INVALID' });
    expect((error as Error).message).toMatch(/1 layers but its config has 2 diff_ids/);
  });

  describe('on a registry whose storage lies', () => {
    let own: TestRegistry;
    beforeAll(async () => {
      own = await startRegistry();
    });
    afterAll(() => own.stop());

    it('a digest-pinned reference whose manifest does not match is DIGEST_MISMATCH (by digest and by tag)', async () => {
      const wanted = await pushImage(own.address, 'lies/manifest', { layers: [{ entries: FILES }] }, { tag: 'wanted' });
      const other = await pushImage(own.address, 'lies/manifest', { layers: [{ entries: [{ type: 'file', path: 'evil', content: 'x' }] }] }, { tag: 'other' });
      // A valid manifest, just not the one asked for: only the digest check can tell.
      overwriteStoredBlob(own, wanted.manifest.digest, other.manifest.bytes);
      const byDigest = await resolveImage(wanted.digestReference, OPTS).catch((err: unknown) => err);
      expect(byDigest).toMatchObject({ code: 'DIGEST_MISMATCH' });
      expect((byDigest as Error).message).toContain(other.manifest.digest);
      // By tag the registry still claims (Docker-Content-Digest) the digest the bytes do not have.
      await expect(resolveImage(wanted.reference, OPTS)).rejects.toMatchObject({ code: 'DIGEST_MISMATCH' });
      // Without that header (a proxy drops it: a fault the registry cannot make), the pinned digest alone catches it.
      const proxy = await startFaultProxy({ upstream: own.address, fault: () => ({ kind: 'drop-headers', names: ['docker-content-digest'] }) });
      try {
        const pinned = await resolveImage(`${proxy.address}/lies/manifest@${wanted.manifest.digest}`, OPTS).catch((err: unknown) => err);
        expect(pinned).toMatchObject({ code: 'DIGEST_MISMATCH' });
        expect((pinned as Error).message).toMatch(/not the requested/);
      } finally {
        await proxy.close();
      }
    });

    it('a config blob that does not match its digest is DIGEST_MISMATCH', async () => {
      const image = await pushImage(own.address, 'lies/config', { layers: [{ entries: FILES }], config: { Cmd: ['/ok'] } });
      const evil = Buffer.from(image.config.bytes.toString().replace('/ok', '/no'));
      overwriteStoredBlob(own, image.config.digest, evil);
      expect(storedBlobPath(own, image.config.digest)).toContain(image.config.digest.slice(7));
      await expect(resolveImage(image.reference, OPTS)).rejects.toMatchObject({ code: 'DIGEST_MISMATCH' });
    });
  });
});
