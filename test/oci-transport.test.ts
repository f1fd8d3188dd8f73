// Network faults a healthy docker-registry never produces (5xx, 429, stalls,
// cut connections, oversized or untyped manifests, TLS): injected by a small
// proxy in front of the real test registry, because there is no other way to
// cause them. The registry behind it is real; so are the images.
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pullLayers } from '../agent/oci/blobs.js';
import { resolveImage } from '../agent/oci/resolve.js';
import type { ResolvedImage } from '../agent/oci/types.js';
import { pushImage, pushIndex, type PushedImage } from '../testkit/fixtures/index.js';
import { makeSelfSignedCertificate } from './oci/certificate.js';
import { startFaultProxy, type Fault, type FaultProxy, type FaultProxyOptions } from '../testkit/fault-proxy.js';
import { platformImage, pullAll, readAll, sameBlobs } from './oci/helpers.js';

const registry = inject('registryAddress');
const FAST = { insecure: true, retries: 3, retryDelayMs: 20, maxRetryDelayMs: 200, timeoutMs: 400 };
const isManifest = (path: string): boolean => path.includes('/manifests/');
const isBlob = (path: string, digest: string): boolean => path.endsWith(`/blobs/${digest}`);

let image: PushedImage;
const proxies: FaultProxy[] = [];
async function proxy(fault: FaultProxyOptions['fault'], tls?: FaultProxyOptions['tls']): Promise<FaultProxy> {
  const started = await startFaultProxy({ upstream: registry, ...(fault && { fault }), ...(tls && { tls }) });
  proxies.push(started);
  return started;
}
/** The pushed image's reference, through the proxy. */
const via = (p: FaultProxy, tag = image.tag, repository = image.repository): string => `${p.address}/${repository}:${tag}`;
afterEach(async () => {
  for (const p of proxies.splice(0)) await p.close();
});

beforeAll(async () => {
  image = await pushImage(registry, 'transport/app', {
    layers: [{ entries: [{ type: 'file', path: 'big.bin', content: { size: 3 * 1024 * 1024, seed: 7 } }], compression: 'none' }],
  });
});

/** Fails the first `count` requests matching `match` with `fault`, then forwards. */
function firstN(count: number, match: (path: string) => boolean, fault: Fault): FaultProxyOptions['fault'] {
  let left = count;
  return (req) => {
    if (!match(req.url ?? '') || left === 0) return undefined;
    left--;
    return fault;
  };
}

describe('retries', () => {
  it('500 then 200: the manifest fetch is retried and succeeds', async () => {
    const p = await proxy(firstN(2, isManifest, { kind: 'status', status: 500, body: 'boom' }));
    const resolved = await resolveImage(via(p), FAST);
    expect(resolved.manifestDigest).toBe(image.manifest.digest);
    expect(p.requests.filter((r) => isManifest(r.path)).length).toBe(3);
  });

  it('a blob answered 502 then 200 is retried before any byte reaches the consumer', async () => {
    const digest = image.layers[0]?.digest ?? '';
    const p = await proxy(firstN(1, (path) => isBlob(path, digest), { kind: 'status', status: 502 }));
    const resolved = await resolveImage(via(p), FAST);
    expect(sameBlobs(await pullAll(resolved, FAST), image.layers.map((layer) => layer.bytes))).toBe(true);
    expect(p.requests.filter((r) => isBlob(r.path, digest)).length).toBe(2);
  });

  it('429 with Retry-After waits as asked, within the cap', async () => {
    const p = await proxy(firstN(1, isManifest, { kind: 'status', status: 429, headers: { 'retry-after': '1' } }));
    await resolveImage(via(p), { ...FAST, maxRetryDelayMs: 5000 });
    const [first, second] = p.requests.filter((r) => isManifest(r.path));
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(900);

    const capped = await proxy(firstN(1, isManifest, { kind: 'status', status: 429, headers: { 'retry-after': '3600' } }));
    const started = Date.now();
    await resolveImage(via(capped), { ...FAST, maxRetryDelayMs: 100 });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('gives up after the configured retries with REGISTRY_ERROR', async () => {
    const p = await proxy((req) => (isManifest(req.url ?? '') ? { kind: 'status', status: 503 } : undefined));
    await expect(resolveImage(via(p), { ...FAST, retries: 2 })).rejects.toMatchObject({ code: 'REGISTRY_ERROR' });
    expect(p.requests.filter((r) => isManifest(r.path)).length).toBe(3);
  });

  it('a 4xx other than 401/403/404/429 is not retried', async () => {
    const p = await proxy((req) => (isManifest(req.url ?? '') ? { kind: 'status', status: 400 } : undefined));
    await expect(resolveImage(via(p), FAST)).rejects.toMatchObject({ code: 'REGISTRY_ERROR' });
    expect(p.requests.filter((r) => isManifest(r.path)).length).toBe(1);
  });

  it('connection refused is REGISTRY_ERROR after the retries', async () => {
    const p = await proxy(undefined);
    const address = p.address;
    await p.close();
    proxies.length = 0;
    const error = await resolveImage(`${address}/transport/app:latest`, FAST).catch((err: unknown) => err);
    expect(error).toMatchObject({ code: 'REGISTRY_ERROR' });
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
  });
});

describe('stalls and cut connections', () => {
  it('a registry that accepts and never answers: TIMEOUT (after the retries)', async () => {
    const p = await proxy((req) => (isManifest(req.url ?? '') ? { kind: 'stall-headers' } : undefined));
    await expect(resolveImage(via(p), { ...FAST, retries: 1 })).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(p.requests.filter((r) => isManifest(r.path)).length).toBe(2);
  });

  it('a manifest body that stops mid-way: TIMEOUT', async () => {
    const p = await proxy((req) => (isManifest(req.url ?? '') ? { kind: 'stall-body', afterBytes: 10 } : undefined));
    await expect(resolveImage(via(p), FAST)).rejects.toMatchObject({ code: 'TIMEOUT' });
  });

  it('a layer that stops mid-body: the stream fails with TIMEOUT, it does not hang', async () => {
    const digest = image.layers[0]?.digest ?? '';
    const resolved = await resolveImage(`${registry}/${image.repository}:${image.tag}`, FAST);
    const p = await proxy((req) => (isBlob(req.url ?? '', digest) ? { kind: 'stall-body', afterBytes: 100_000 } : undefined));
    const stalled = { ...resolved, registry: p.address };
    await expect(pullAll(stalled, FAST)).rejects.toMatchObject({ code: 'TIMEOUT' });
  });

  it('a layer whose connection is cut mid-body: REGISTRY_ERROR naming the bytes received', async () => {
    const digest = image.layers[0]?.digest ?? '';
    const resolved = await resolveImage(`${registry}/${image.repository}:${image.tag}`, FAST);
    const p = await proxy((req) => (isBlob(req.url ?? '', digest) ? { kind: 'cut-body', afterBytes: 100_000 } : undefined));
    const error = await pullAll({ ...resolved, registry: p.address }, FAST).catch((err: unknown) => err);
    expect(error).toMatchObject({ code: 'REGISTRY_ERROR' });
    expect((error as Error).message).toMatch(/connection closed after \d+ body bytes/);
  });
});

describe('cancellation', () => {
  it('an AbortSignal stops a stalled layer stream at once with CANCELLED', async () => {
    const digest = image.layers[0]?.digest ?? '';
    const resolved: ResolvedImage = await resolveImage(`${registry}/${image.repository}:${image.tag}`, FAST);
    const p = await proxy((req) => (isBlob(req.url ?? '', digest) ? { kind: 'stall-body', afterBytes: 50_000 } : undefined));
    const controller = new AbortController();
    const started = Date.now();
    const consumed = (async () => {
      for await (const layer of pullLayers({ ...resolved, registry: p.address }, { ...FAST, timeoutMs: 60_000, signal: controller.signal })) {
        await readAll(layer.stream);
      }
    })();
    setTimeout(() => controller.abort(), 200);
    await expect(consumed).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(Date.now() - started).toBeLessThan(10_000); // far below the 60 s timeout
  });

  it('an AbortSignal stops a stalled resolve and a retry wait with CANCELLED', async () => {
    const p = await proxy((req) => (isManifest(req.url ?? '') ? { kind: 'stall-headers' } : undefined));
    await expect(resolveImage(via(p), { ...FAST, timeoutMs: 60_000, signal: AbortSignal.timeout(200) })).rejects.toMatchObject({ code: 'CANCELLED' });
    const failing = await proxy((req) => (isManifest(req.url ?? '') ? { kind: 'status', status: 503, headers: { 'retry-after': '60' } } : undefined));
    await expect(
      resolveImage(via(failing), { ...FAST, maxRetryDelayMs: 60_000, signal: AbortSignal.timeout(300) }),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});

describe('what a registry serves', () => {
  const bigManifest = (size: number): Buffer => {
    const head = Buffer.from(`{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","annotations":{"pad":"`);
    const tail = Buffer.from('"},"config":{},"layers":[]}');
    return Buffer.concat([head, Buffer.alloc(size - head.length - tail.length, 'x'), tail]);
  };

  for (const chunked of [false, true]) {
    it(`a manifest over 4 MiB is MANIFEST_TOO_LARGE (${chunked ? 'chunked, no length: cut while reading' : 'Content-Length: refused before reading'})`, async () => {
      // distribution cannot store or serve such a manifest; only a fake answer can produce one.
      const body = bigManifest(4 * 1024 * 1024 + 1);
      const p = await proxy((req) =>
        isManifest(req.url ?? '') ? { kind: 'serve', body, chunked, headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' } } : undefined,
      );
      await expect(resolveImage(via(p), FAST)).rejects.toMatchObject({ code: 'MANIFEST_TOO_LARGE' });
    });
  }

  it('an error answer keeps its code even when its body is over the 64 KiB error-body limit', async () => {
    const p = await proxy((req) => (isManifest(req.url ?? '') ? { kind: 'status', status: 404, body: 'x'.repeat(200_000) } : undefined));
    await expect(resolveImage(via(p), FAST)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('manifests served without a Content-Type are read by their mediaType (index and Docker manifest)', async () => {
    const index = await pushIndex(registry, 'transport/untyped-index', [platformImage('linux', 'arm64'), platformImage('linux', 'amd64')]);
    const docker = await pushImage(registry, 'transport/untyped-docker', { format: 'docker', layers: [{ entries: [{ type: 'file', path: 'd', content: 'd' }] }] });
    const p = await proxy((req) => (isManifest(req.url ?? '') ? { kind: 'drop-headers', names: ['content-type'] } : undefined));
    const fromIndex = await resolveImage(via(p, index.tag, index.repository), { ...FAST, platform: 'linux/amd64' });
    expect(fromIndex.indexMediaType).toBe('application/vnd.oci.image.index.v1+json');
    expect(fromIndex.manifestDigest).toBe(index.images[1]?.manifest.digest);
    const fromDocker = await resolveImage(via(p, docker.tag, docker.repository), FAST);
    expect(fromDocker.manifestMediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
    expect(fromDocker.manifestDigest).toBe(docker.manifest.digest);
  });
});

describe('auth challenges no registry here sends', () => {
  it.each([
    ['an unsupported scheme', 'Negotiate abc', 'UNAUTHORIZED'],
    ['a realm that is not http(s)', 'Bearer realm="file:///etc/passwd",service="x"', 'UNAUTHORIZED'],
    ['a realm nobody listens on', 'Bearer realm="http://127.0.0.1:1/token",service="x"', 'REGISTRY_ERROR'],
  ])('%s: %s -> %s', async (_what, challenge, code) => {
    const p = await proxy((req) => (req.url === '/v2/' ? { kind: 'status', status: 401, headers: { 'www-authenticate': challenge } } : undefined));
    await expect(resolveImage(via(p), { ...FAST, retries: 0 })).rejects.toMatchObject({ code });
  });
});

describe('https with a custom CA', () => {
  const certificate = makeSelfSignedCertificate('127.0.0.1', 'IP:127.0.0.1');
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'oci-ca-'));
    writeFileSync(join(dir, 'ca.pem'), certificate.cert);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('trusts the CA file; without it the certificate is refused; --insecure (plain http) does not speak TLS', async () => {
    const p = await proxy(undefined, certificate);
    const https = { ...FAST, insecure: false };
    const resolved = await resolveImage(via(p), { ...https, caFile: join(dir, 'ca.pem') });
    expect(resolved.manifestDigest).toBe(image.manifest.digest);
    expect(sameBlobs(await pullAll(resolved, { ...https, caPem: certificate.cert }), image.layers.map((layer) => layer.bytes))).toBe(true);
    const untrusted = await resolveImage(via(p), https).catch((err: unknown) => err);
    expect(untrusted).toMatchObject({ code: 'REGISTRY_ERROR' });
    expect((untrusted as Error).message).toMatch(/self.signed/i);
    await expect(resolveImage(via(p), FAST)).rejects.toMatchObject({ code: 'REGISTRY_ERROR' });
  });
});
