// pullLayers: verified streams in order, lying blobs fail at their end (and
// never 'end'), bounded prefetch of the next layer.
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { pullLayers } from '../agent/oci/blobs.js';
import { DigestVerifier } from '../agent/oci/digest.js';
import { resolveImage } from '../agent/oci/resolve.js';
import type { LayerBlob, ResolvedImage } from '../agent/oci/types.js';
import { corruptStoredBlob, overwriteStoredBlob, pushImage, type ContentSpec, type EntrySpec } from '../testkit/fixtures/index.js';
import { startRegistry, type TestRegistry } from '../testkit/registry/index.js';
import { startFaultProxy, type FaultProxy } from '../testkit/fault-proxy.js';
import { layerFiles, readAll, sameBlobs } from './oci/helpers.js';

const registry = inject('registryAddress');
const OPTS = { insecure: true, retries: 0 };
const file = (path: string, content: ContentSpec): EntrySpec => ({ type: 'file', path, content });

/** Reads a stream to its end or error, counting bytes, noting whether 'end' came. */
async function drain(stream: LayerBlob['stream']): Promise<{ bytes: number; ended: boolean; error?: unknown }> {
  let bytes = 0;
  let ended = false;
  stream.on('end', () => (ended = true));
  try {
    for await (const chunk of stream) bytes += (chunk as Buffer).length;
    return { bytes, ended };
  } catch (error) {
    return { bytes, ended, error };
  }
}

it('yields gzip, zstd and uncompressed layers in order, byte for byte', async () => {
  const image = await pushImage(registry, 'blobs/three', {
    layers: [
      { entries: [file('one', 'gzip layer\n')], compression: 'gzip' },
      { entries: [file('two', 'zstd layer\n')], compression: 'zstd' },
      { entries: [file('three', 'plain layer\n')], compression: 'none' },
    ],
  });
  const resolved = await resolveImage(image.reference, OPTS);
  const seen: Array<{ index: number; compression: string; files: Record<string, string> }> = [];
  const blobs: Buffer[] = [];
  for await (const layer of pullLayers(resolved, OPTS)) {
    const bytes = await readAll(layer.stream);
    blobs.push(bytes);
    seen.push({ index: layer.index, compression: layer.descriptor.compression, files: await layerFiles(bytes, layer.descriptor.compression) });
  }
  expect(seen).toEqual([
    { index: 0, compression: 'gzip', files: { one: 'gzip layer\n' } },
    { index: 1, compression: 'zstd', files: { two: 'zstd layer\n' } },
    { index: 2, compression: 'none', files: { three: 'plain layer\n' } },
  ]);
  expect(sameBlobs(blobs, image.layers.map((layer) => layer.bytes))).toBe(true);
});

it('the same verifier checks a diff_id after decompression (what agent/layers does)', async () => {
  const image = await pushImage(registry, 'blobs/diff-id', {
    layers: [{ entries: [file('a', 'a')] }, { entries: [file('b', 'b')], fault: { kind: 'wrong-diff-id' } }],
  });
  const resolved = await resolveImage(image.reference, OPTS);
  const results: Array<string | undefined> = [];
  for await (const layer of pullLayers(resolved, OPTS)) {
    const verifier = new DigestVerifier({ digest: layer.descriptor.diffId, label: `layer ${layer.index} diff_id` });
    const sink = new Writable({ write: (_chunk, _enc, done) => done() });
    results.push(await pipeline(layer.stream, createGunzip(), verifier, sink).then(() => undefined, (err: { code?: string }) => err.code));
  }
  expect(results).toEqual([undefined, 'DIGEST_MISMATCH']);
});

describe('blobs that do not match their descriptor (registry storage edited)', () => {
  let own: TestRegistry;
  beforeAll(async () => {
    own = await startRegistry();
  });
  afterAll(() => own.stop());

  async function brokenPull(repository: string, edit: (digest: string, bytes: Buffer) => void): Promise<{ size: number; result: Awaited<ReturnType<typeof drain>> }> {
    const image = await pushImage(own.address, repository, { layers: [{ entries: [file('data', { size: 300_000, seed: 1 })], compression: 'none' }] });
    const layer = image.layers[0];
    if (layer === undefined) throw new Error('no layer');
    edit(layer.digest, layer.bytes);
    const resolved = await resolveImage(image.reference, OPTS);
    for await (const blob of pullLayers(resolved, OPTS)) return { size: layer.size, result: await drain(blob.stream) };
    throw new Error('no layer pulled');
  }

  it('a corrupted blob (same length, one byte flipped): DIGEST_MISMATCH once its last byte arrived, never end', async () => {
    const { size, result } = await brokenPull('corrupt/flipped', (digest) => corruptStoredBlob(own, digest));
    // Bytes still buffered unread when the check fails are dropped with the stream.
    expect(result.bytes).toBeLessThanOrEqual(size);
    expect(result.ended).toBe(false);
    expect(result.error).toMatchObject({ code: 'DIGEST_MISMATCH' });
    expect((result.error as Error).message).toMatch(/hashes to sha256:[0-9a-f]{64}, expected/);
  });

  it('a truncated blob: DIGEST_MISMATCH naming the byte count', async () => {
    const { size, result } = await brokenPull('corrupt/short', (digest, bytes) => overwriteStoredBlob(own, digest, bytes.subarray(0, 100_000)));
    expect(result.ended).toBe(false);
    expect(result.error).toMatchObject({ code: 'DIGEST_MISMATCH' });
    expect((result.error as Error).message).toContain(`ended after 100000 of ${size} bytes`);
  });

  it('a blob longer than its descriptor: DIGEST_MISMATCH as soon as it passes the size', async () => {
    const { size, result } = await brokenPull('corrupt/long', (digest, bytes) => overwriteStoredBlob(own, digest, Buffer.concat([bytes, Buffer.alloc(4 << 20)])));
    expect(result.bytes).toBeLessThanOrEqual(size);
    expect(result.error).toMatchObject({ code: 'DIGEST_MISMATCH' });
    expect((result.error as Error).message).toContain('more bytes than');
  });
});

describe('prefetch', () => {
  const BIG = 32 * 1024 * 1024;
  const PREFETCH = 1024 * 1024;
  let resolved: ResolvedImage;
  let bigDigest: string;
  let expected: Buffer[];
  let proxy: FaultProxy | undefined;
  beforeAll(async () => {
    const image = await pushImage(registry, 'blobs/prefetch', {
      layers: [
        { entries: [file('first', { size: 2 << 20, seed: 2 })], compression: 'none' },
        { entries: [file('second', { size: BIG, seed: 3 })], compression: 'none' },
      ],
    });
    resolved = await resolveImage(image.reference, OPTS);
    bigDigest = image.layers[1]?.digest ?? '';
    expected = image.layers.map((layer) => layer.bytes);
  });
  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
  });

  /** Served bytes of the big layer once they stop growing. */
  async function settledBytes(p: FaultProxy): Promise<number> {
    let last = -1;
    for (let stable = 0, waited = 0; stable < 4 && waited < 5000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const now = p.requests.find((r) => r.path.endsWith(bigDigest))?.bytesSent ?? 0;
      stable = now === last && now > 0 ? stable + 1 : 0;
      last = now;
    }
    return last;
  }

  it('downloads the next layer while the current one is unread, bounded by prefetchBytes plus socket buffers', async () => {
    proxy = await startFaultProxy({ upstream: registry });
    const layers = pullLayers({ ...resolved, registry: proxy.address }, { ...OPTS, prefetchBytes: PREFETCH });
    const first = await layers.next();
    if (first.done) throw new Error('no first layer');
    const ahead = await settledBytes(proxy);
    expect(ahead).toBeGreaterThan(0);
    // Kernel socket buffers on loopback hold a few MiB more; far from the whole 32 MiB.
    expect(ahead).toBeLessThan(PREFETCH + 12 * 1024 * 1024);
    const blobs = [await readAll(first.value.stream)];
    for await (const layer of layers) blobs.push(await readAll(layer.stream));
    expect(sameBlobs(blobs, expected)).toBe(true);
  });

  it('with prefetchBytes 0 the next layer is only requested when asked for', async () => {
    proxy = await startFaultProxy({ upstream: registry });
    const layers = pullLayers({ ...resolved, registry: proxy.address }, { ...OPTS, prefetchBytes: 0 });
    const first = await layers.next();
    if (first.done) throw new Error('no first layer');
    await readAll(first.value.stream);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(proxy.requests.some((r) => r.path.endsWith(bigDigest))).toBe(false);
    const second = await layers.next();
    if (second.done) throw new Error('no second layer');
    expect((await readAll(second.value.stream)).equals(expected[1] as Buffer)).toBe(true);
    expect((await layers.next()).done).toBe(true);
  });

  it('leaving the loop early closes the read-ahead download', async () => {
    proxy = await startFaultProxy({ upstream: registry });
    const layers = pullLayers({ ...resolved, registry: proxy.address }, { ...OPTS, prefetchBytes: PREFETCH });
    const first = await layers.next();
    if (first.done) throw new Error('no first layer');
    await settledBytes(proxy);
    await layers.return(undefined);
    const request = proxy.requests.find((r) => r.path.endsWith(bigDigest));
    if (request === undefined) throw new Error('the read-ahead request was never made');
    await request.closed; // the proxy's response to us ends: the client closed the connection
    expect(request.bytesSent).toBeLessThan(BIG);
    expect(first.value.stream.destroyed).toBe(true);
  });
});
