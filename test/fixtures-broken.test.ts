import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildImage, buildLayer, corruptStoredBlob, overwriteStoredBlob, pushImage, sha256Digest, storedBlobPath, type EntrySpec } from '../testkit/fixtures/index.js';
import { decompressLayer, fetchFromRegistry, readTar } from '../testkit/fixtures/readback.js';
import { startRegistry, type TestRegistry } from '../testkit/registry/index.js';

const registry = inject('registryAddress');
const FILES: EntrySpec[] = [
  { type: 'dir', path: 'etc' },
  { type: 'file', path: 'etc/os-release', content: 'ID=fixture\n' },
  { type: 'file', path: 'usr/lib/blob', content: { size: 200_000, seed: 3 } },
];

interface ManifestJson {
  layers: Array<{ mediaType: string; digest: string; size: number }>;
  annotations?: Record<string, string>;
}

async function pulledManifest(repository: string, tag = 'latest'): Promise<{ json: ManifestJson; bytes: Buffer }> {
  const res = await fetchFromRegistry(registry, repository, 'manifests', tag, 'application/vnd.oci.image.manifest.v1+json');
  expect(res.status).toBe(200);
  return { json: JSON.parse(res.bytes.toString()) as ManifestJson, bytes: res.bytes };
}

describe('deliberately broken images', () => {
  it('wrong-diff-id: the config names a diff_id that is not the layer tar digest', async () => {
    const image = await pushImage(registry, 'broken/diff-id', { layers: [{ entries: FILES }, { entries: FILES, compression: 'zstd', fault: { kind: 'wrong-diff-id' } }] });
    const config = await fetchFromRegistry(registry, 'broken/diff-id', 'blobs', image.config.digest);
    const diffIds = (JSON.parse(config.bytes.toString()) as { rootfs: { diff_ids: string[] } }).rootfs.diff_ids;
    for (const [i, layer] of image.layers.entries()) {
      const blob = await fetchFromRegistry(registry, 'broken/diff-id', 'blobs', layer.digest);
      const tarDigest = sha256Digest(decompressLayer(blob.bytes, layer.compression));
      expect(tarDigest).toBe(layer.tarDigest);
      if (i === 0) expect(diffIds[i]).toBe(tarDigest);
      else expect(diffIds[i]).not.toBe(tarDigest);
    }
  });

  for (const compression of ['gzip', 'zstd'] as const) {
    it(`truncated ${compression}: digest and size match the served bytes, only decompression fails`, async () => {
      const repository = `broken/truncated-${compression}`;
      const image = await pushImage(registry, repository, { layers: [{ entries: FILES, compression, fault: { kind: 'truncated' } }] });
      const layer = image.layers[0];
      if (layer === undefined) throw new Error('no layer');
      const { json } = await pulledManifest(repository);
      const blob = await fetchFromRegistry(registry, repository, 'blobs', layer.digest);
      expect(sha256Digest(blob.bytes)).toBe(json.layers[0]?.digest);
      expect(blob.bytes.length).toBe(json.layers[0]?.size);
      expect(blob.bytes.length).toBe(Math.floor(buildLayer({ entries: FILES, compression }, 'oci').size / 2));
      expect(() => decompressLayer(blob.bytes, compression)).toThrow();
    });
  }

  it('unknown media type: the registry accepts and serves the descriptor as written', async () => {
    const mediaType = 'application/vnd.example.unknown.layer.v1+tar';
    await pushImage(registry, 'broken/media-type', { layers: [{ entries: FILES }, { entries: FILES, compression: 'none', fault: { kind: 'media-type', mediaType } }] });
    const { json } = await pulledManifest('broken/media-type');
    expect(json.layers.map((layer) => layer.mediaType)).toEqual(['application/vnd.oci.image.layer.v1.tar+gzip', mediaType]);
  });

  it('hostile paths: raw entries keep "../", absolute names and lying sizes verbatim', async () => {
    const hostile: EntrySpec[] = [
      { type: 'raw', header: { name: '../../etc/escape', type: 'file' }, body: Buffer.from('out') },
      { type: 'raw', header: { name: '/etc/absolute', type: 'file' }, body: Buffer.from('abs') },
      { type: 'raw', header: { name: 'hl', type: 'link', linkname: '../../../etc/shadow' } },
      { type: 'raw', header: { name: 'lies', type: 'file', size: 10_000 }, body: Buffer.from('short') },
    ];
    const image = await pushImage(registry, 'broken/hostile', { layers: [{ entries: hostile, compression: 'none' }] });
    const blob = await fetchFromRegistry(registry, 'broken/hostile', 'blobs', image.layers[0]?.digest ?? '');
    // The parser sees the hostile names, then runs out of data inside the lying entry.
    await expect(readTar(blob.bytes)).rejects.toThrow(/unexpected end/i);
    // The three honest members take 5 blocks (two with a one-block body, a body-less link).
    const withoutLiar = await readTar(Buffer.concat([blob.bytes.subarray(0, 5 * 512), Buffer.alloc(1024)]));
    expect(withoutLiar.map((m) => [m.header.name, m.header.linkname ?? null])).toEqual([
      ['../../etc/escape', null],
      ['/etc/absolute', null],
      ['hl', '../../../etc/shadow'],
    ]);
  });

  // distribution 2.8 refuses manifest PUTs over 4 MiB and will not serve stored
  // manifests over 4 MiB either (maxBlobGetSize), so the biggest manifest a real
  // registry can hand a client is exactly 4 MiB.
  it('annotations make a manifest of exactly 4 MiB; one byte more and distribution refuses the PUT', async () => {
    const limit = 4 * 1024 * 1024;
    const base = buildImage({ layers: [{ entries: FILES }], annotations: { 'org.example.padding': '' } }).manifest.size;
    const fits = await pushImage(registry, 'broken/big-manifest', { layers: [{ entries: FILES }], annotations: { 'org.example.padding': 'x'.repeat(limit - base) } });
    expect(fits.manifest.size).toBe(limit);
    const { bytes } = await pulledManifest('broken/big-manifest');
    expect(sha256Digest(bytes)).toBe(fits.manifest.digest);
    await expect(pushImage(registry, 'broken/big-manifest', { layers: [{ entries: FILES }], annotations: { 'org.example.padding': 'x'.repeat(limit - base + 1) } })).rejects.toThrow(/request body too large/);
  });
});

describe('blobs corrupted in registry storage', () => {
  let own: TestRegistry;
  beforeAll(async () => {
    own = await startRegistry();
  });
  afterAll(async () => {
    await own.stop();
  });

  it('corruptStoredBlob makes the registry serve other bytes under the same digest', async () => {
    const image = await pushImage(own.address, 'corrupt/flip', { layers: [{ entries: FILES, compression: 'none' }] });
    const layer = image.layers[0];
    if (layer === undefined) throw new Error('no layer');
    const served = corruptStoredBlob(own, layer.digest);
    const blob = await fetchFromRegistry(own.address, 'corrupt/flip', 'blobs', layer.digest);
    expect(blob.status).toBe(200);
    expect(blob.claimedDigest).toBe(layer.digest);
    expect(blob.bytes.length).toBe(layer.size);
    expect(sha256Digest(blob.bytes)).toBe(sha256Digest(served));
    expect(sha256Digest(blob.bytes)).not.toBe(layer.digest);
  });

  it('overwriteStoredBlob serves a valid but different layer, so only the digest check can notice', async () => {
    const image = await pushImage(own.address, 'corrupt/swap', { layers: [{ entries: FILES }] });
    const other = await pushImage(own.address, 'corrupt/other', { layers: [{ entries: [{ type: 'file', path: 'evil', content: 'swapped' }] }] });
    const [layer, otherLayer] = [image.layers[0], other.layers[0]];
    if (layer === undefined || otherLayer === undefined) throw new Error('no layer');
    overwriteStoredBlob(own, layer.digest, otherLayer.bytes);
    const blob = await fetchFromRegistry(own.address, 'corrupt/swap', 'blobs', layer.digest);
    expect(blob.claimedDigest).toBe(layer.digest);
    expect(sha256Digest(blob.bytes)).toBe(otherLayer.digest);
    const members = await readTar(decompressLayer(blob.bytes, 'gzip'));
    expect(members.map((m) => m.header.name)).toEqual(['evil']);
  });

  it('storedBlobPath refuses anything but a sha256 digest', () => {
    expect(() => storedBlobPath(own, 'sha256:../../etc')).toThrow(/not a sha256 digest/);
  });
});
