// Blob and manifest pushes against the real docker-registry: the body streams
// from its source through the digest check (never buffered), a source that
// does not match its digest or size never lands, an upload that stops making
// progress times out while a slow one that keeps going does not, and push
// access goes through the same token flow as pulls (scope pull,push).
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sha256Digest } from '../core/digest.js';
import { RegistryClient, type RegistryOptions } from '../agent/oci/registry.js';
import { pushBlob, pushManifest } from '../agent/oci/upload.js';
import { startRegistry, type TestRegistry } from '../testkit/registry/index.js';
import { startTokenServer, type TokenServer } from './oci/token-server.js';

const shared = inject('registryAddress');
const FAST: RegistryOptions = { insecure: true, retries: 0, timeoutMs: 5000 };

/** `count` chunks of `size` pseudo-random bytes, made as they are read, with their digest. */
function generated(count: number, size: number, gapMs = 0): { digest: string; size: number; open: () => Readable } {
  const seed = randomBytes(size);
  const chunk = (i: number): Buffer => {
    const bytes = Buffer.from(seed);
    bytes.writeUInt32LE(i, 0);
    return bytes;
  };
  const hash = createHash('sha256');
  for (let i = 0; i < count; i++) hash.update(chunk(i));
  return {
    digest: `sha256:${hash.digest('hex')}`,
    size: count * size,
    open: () =>
      Readable.from(
        (async function* () {
          for (let i = 0; i < count; i++) {
            if (gapMs > 0) await sleep(gapMs);
            yield chunk(i);
          }
        })(),
      ),
  };
}

async function withClient<T>(address: string, repository: string, options: RegistryOptions, fn: (client: RegistryClient) => Promise<T>): Promise<T> {
  const client = await RegistryClient.open(address, repository, { ...FAST, push: true, ...options });
  try {
    return await fn(client);
  } finally {
    client.close();
  }
}

async function blobStatus(address: string, repository: string, digest: string): Promise<number> {
  return (await fetch(`http://${address}/v2/${repository}/blobs/${digest}`, { method: 'HEAD' })).status;
}

describe('pushBlob (monolithic POST + streamed PUT)', () => {
  it('streams a 48 MiB source made on the fly, and a second push sends nothing', async () => {
    const blob = generated(48, 1024 * 1024);
    const first = await withClient(shared, 'upload/stream', {}, (client) => pushBlob(client, blob));
    expect(first).toEqual({ uploaded: true, bytesSent: blob.size });
    const served = await fetch(`http://${shared}/v2/upload/stream/blobs/${blob.digest}`);
    expect(sha256Digest(Buffer.from(await served.arrayBuffer()))).toBe(blob.digest);
    const again = await withClient(shared, 'upload/stream', {}, (client) => pushBlob(client, { ...blob, open: () => Readable.from([]) }));
    expect(again).toEqual({ uploaded: false, bytesSent: 0 });
  });

  it('a source that does not hash to its digest never lands (DIGEST_MISMATCH)', async () => {
    const blob = generated(4, 64 * 1024);
    const other = generated(4, 64 * 1024);
    const failure = await withClient(shared, 'upload/lies', {}, (client) => pushBlob(client, { ...blob, open: other.open })).catch((err: unknown) => err);
    expect(failure).toMatchObject({ code: 'DIGEST_MISMATCH' });
    expect(await blobStatus(shared, 'upload/lies', blob.digest)).toBe(404);
    expect(await blobStatus(shared, 'upload/lies', other.digest)).toBe(404);
  });

  it('a source longer than the declared size fails at once (DIGEST_MISMATCH naming the size)', async () => {
    const blob = generated(4, 64 * 1024);
    const failure = await withClient(shared, 'upload/long', {}, (client) => pushBlob(client, { ...blob, size: blob.size - 1 })).catch((err: unknown) => err);
    expect(failure).toMatchObject({ code: 'DIGEST_MISMATCH', message: expect.stringContaining(`${blob.size - 1}`) as unknown });
    expect(await blobStatus(shared, 'upload/long', blob.digest)).toBe(404);
  });

  it('a source that fails while read fails the push with its error, nothing lands', async () => {
    const blob = generated(4, 64 * 1024);
    const broken = (): Readable =>
      Readable.from(
        (async function* () {
          yield Buffer.alloc(64 * 1024);
          await sleep(10);
          throw new Error('disk read failed');
        })(),
      );
    const failure = await withClient(shared, 'upload/broken', {}, (client) => pushBlob(client, { ...blob, open: broken })).catch((err: unknown) => err);
    expect(failure).toMatchObject({ message: expect.stringContaining('disk read failed') as unknown });
    expect(await blobStatus(shared, 'upload/broken', blob.digest)).toBe(404);
  });

  it('an upload longer than the timeout that keeps making progress completes; one that stalls is TIMEOUT', async () => {
    // 12 chunks 100 ms apart: 1.2 s of upload under a 400 ms limit, which bounds each wait, not the whole body.
    const slow = generated(12, 16 * 1024, 100);
    expect(await withClient(shared, 'upload/slow', { timeoutMs: 400 }, (client) => pushBlob(client, slow))).toEqual({ uploaded: true, bytesSent: slow.size });

    const stalled = generated(4, 16 * 1024);
    const never = (): Readable =>
      new Readable({
        read() {
          if (this.readableLength === 0 && !(this as { sent?: boolean }).sent) {
            (this as { sent?: boolean }).sent = true;
            this.push(Buffer.alloc(16 * 1024));
          }
        },
      });
    const failure = await withClient(shared, 'upload/stalled', { timeoutMs: 400 }, (client) => pushBlob(client, { ...stalled, open: never })).catch((err: unknown) => err);
    expect(failure).toMatchObject({ code: 'TIMEOUT', message: expect.stringContaining('made no progress') as unknown });
  });
});

describe('pushManifest', () => {
  it('PUTs under a tag and checks the digest the registry reports', async () => {
    const config = Buffer.from('{}');
    const configDigest = sha256Digest(config);
    await withClient(shared, 'upload/manifest', {}, async (client) => {
      await pushBlob(client, { digest: configDigest, size: 2, open: () => Readable.from([config]) });
      const bytes = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          artifactType: 'application/vnd.example.test',
          config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: configDigest, size: 2 },
          layers: [{ mediaType: 'application/vnd.oci.empty.v1+json', digest: configDigest, size: 2 }],
        }),
      );
      const digest = sha256Digest(bytes);
      const pushed = await pushManifest(client, 'v1', { bytes, mediaType: 'application/vnd.oci.image.manifest.v1+json', digest });
      // docker-registry 2.8 has no referrers API: it never says it processed a subject.
      expect(pushed).toEqual({ digest });
      const fetched = await client.fetchManifest('v1');
      expect(sha256Digest(fetched.bytes)).toBe(digest);
    });
  });

  it('a manifest naming a blob the registry lacks is refused with the registry error', async () => {
    const bytes = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${'1'.repeat(64)}`, size: 10 },
        layers: [],
      }),
    );
    const failure = await withClient(shared, 'upload/missing', {}, (client) =>
      pushManifest(client, 'v1', { bytes, mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: sha256Digest(bytes) }),
    ).catch((err: unknown) => err);
    expect(failure).toMatchObject({ code: 'REGISTRY_ERROR', message: expect.stringMatching(/HTTP 400.*BLOB_UNKNOWN|MANIFEST_BLOB_UNKNOWN/s) as unknown });
  });
});

describe('push access through token auth', () => {
  let tokens: TokenServer;
  let registry: TestRegistry;
  beforeAll(async () => {
    tokens = await startTokenServer({ users: { reader: 'reader-secret', writer: 'writer-secret' }, pushers: ['writer'] });
    registry = await startRegistry({ tokenAuth: { realm: tokens.realm, service: tokens.service, issuer: tokens.issuer, rootCertBundlePem: tokens.certPem } });
  });
  afterAll(async () => {
    await registry?.stop();
    await tokens?.close();
  });

  it('asks for pull,push and uploads as a user granted push', async () => {
    const blob = generated(2, 32 * 1024);
    const result = await withClient(registry.address, 'upload/token', { username: 'writer', password: 'writer-secret' }, (client) => pushBlob(client, blob));
    expect(result.uploaded).toBe(true);
    expect(tokens.requests.filter((request) => request.account === 'writer').map((request) => request.scopes)).toContainEqual(['repository:upload/token:pull,push']);
  });

  it('a user granted only pull gets UNAUTHORIZED, not a half-done upload', async () => {
    const blob = generated(2, 32 * 1024);
    const failure = await withClient(registry.address, 'upload/token', { username: 'reader', password: 'reader-secret' }, (client) => pushBlob(client, blob)).catch(
      (err: unknown) => err,
    );
    expect(failure).toMatchObject({ code: 'UNAUTHORIZED' });
  });
});
