// Two hosts, one registry: host A converts an image and pushes the disk as an
// artifact attached to the image manifest; host B, with a store of its own,
// finds it through the referrers tag (Debian's docker-registry 2.8 has no
// referrers API), pulls it and registers it without converting. A tampered
// artifact blob, and an artifact whose blob is not an EROFS disk, are refused
// with their codes. Real registry, real mkfs.erofs, disks checked by mounting.
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Digest } from '../core/digest.js';
import { addReferrer, referrersTag } from '../agent/oci/referrers.js';
import { RegistryClient } from '../agent/oci/registry.js';
import { resolveImage } from '../agent/oci/resolve.js';
import type { ResolvedImage } from '../agent/oci/types.js';
import { pushBlob, pushManifest } from '../agent/oci/upload.js';
import { parseReference } from '../core/reference.js';
import { convertLocally } from '../host/orchestrate.js';
import { buildDiskArtifact, DISK_ARTIFACT_TYPE, DISK_MEDIA_TYPES, EMPTY_DESCRIPTOR, treeDigest } from '../agent/prebuilt/artifact.js';
import { pullPrebuilt, type PrebuiltPullRequest } from '../host/prebuilt/pull.js';
import { pushPrebuilt } from '../host/prebuilt/push.js';
import { findReadyImage, type ImageEntry } from '../host/store.js';
import { corruptStoredBlob, pushImage, type PushedImage } from '../testkit/fixtures/index.js';
import { sha256File } from './helpers/host-disks.js';
import { APP_RUNTIME, APP_SPEC, expectAppTree, readMetadata, tempStore, type TempStore } from './helpers/orchestrate.js';
import { startRegistry, type TestRegistry } from '../testkit/registry/index.js';

const INSECURE = { insecure: true } as const;
let registry: TestRegistry;
const stores: TempStore[] = [];

beforeAll(async () => {
  // Our own registry: the tamper test edits its storage.
  registry = await startRegistry();
});
afterAll(async () => {
  for (const temp of stores) await temp.remove();
  await registry?.stop();
});

async function newHost(): Promise<TempStore> {
  const temp = await tempStore('prebuilt-host-');
  stores.push(temp);
  return temp;
}

async function convertOnHost(image: PushedImage, host: TempStore): Promise<ImageEntry> {
  const result = await convertLocally({ reference: image.reference, store: host.store, registry: INSECURE });
  expect(result).toMatchObject({ path: 'host', alreadyPresent: false });
  return result.entry;
}

function pullRequest(host: TempStore, image: ResolvedImage, reference: string): PrebuiltPullRequest {
  return { store: host.store, image, reference: parseReference(reference), format: 'erofs', compression: 'lz4', registry: INSECURE };
}

async function getJson(url: string, accept: string): Promise<{ status: number; contentType: string | null; body: Record<string, unknown> | undefined }> {
  const res = await fetch(url, { headers: { accept } });
  const text = await res.text();
  return { status: res.status, contentType: res.headers.get('content-type'), body: res.ok ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

describe('push: the registered disk as an OCI 1.1 artifact, listed under the referrers tag', () => {
  let image: PushedImage;
  let entryA: ImageEntry;

  beforeAll(async () => {
    image = await pushImage(registry.address, 'fleet/app', APP_SPEC, { tag: 'v1' });
    entryA = await convertOnHost(image, await newHost());
  });

  it('records what a pull matches by: compression and the mkfs version', () => {
    expect(entryA.compression).toBe('lz4');
    expect(entryA.erofsUtilsVersion).toMatch(/^\d+\.\d+/);
    expect(entryA.platform).toMatch(/^linux\//);
  });

  it('uploads the disk once, pushes the artifact manifest and lists it in the index under sha256-<hex>', async () => {
    const pushed = await pushPrebuilt(entryA, { registry: INSECURE });
    expect(pushed).toMatchObject({
      repository: `${registry.address}/fleet/app`,
      subject: image.manifest.digest,
      disk: { digest: entryA.sha256, size: entryA.sizeBytes },
      diskUploaded: true,
      bytesUploaded: entryA.sizeBytes,
      listedBy: 'tag-schema',
      referrersTag: `sha256-${image.manifest.digest.slice('sha256:'.length)}`,
    });

    const base = `${registry.url}/v2/fleet/app`;
    const artifact = await getJson(`${base}/manifests/${pushed.artifactDigest}`, 'application/vnd.oci.image.manifest.v1+json');
    expect(artifact.body).toEqual({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      artifactType: DISK_ARTIFACT_TYPE,
      config: EMPTY_DESCRIPTOR,
      layers: [{ mediaType: DISK_MEDIA_TYPES.erofs, digest: entryA.sha256, size: entryA.sizeBytes }],
      subject: { mediaType: image.manifest.mediaType, digest: image.manifest.digest, size: image.manifest.size },
      annotations: {
        'dev.erofs-builder.format': 'erofs',
        'dev.erofs-builder.compression': 'lz4',
        'dev.erofs-builder.platform': entryA.platform,
        'dev.erofs-builder.erofs-utils.version': entryA.erofsUtilsVersion,
        'dev.erofs-builder.tree.digest': treeDigest(image.layers.map((layer) => layer.diffId)),
      },
    });
    // The config is the empty descriptor's blob, pushed so the manifest's references all resolve.
    expect(await (await fetch(`${base}/blobs/${EMPTY_DESCRIPTOR.digest}`)).text()).toBe('{}');

    const index = await getJson(`${base}/manifests/${pushed.referrersTag}`, 'application/vnd.oci.image.index.v1+json');
    expect(index.contentType).toBe('application/vnd.oci.image.index.v1+json');
    expect(index.body).toEqual({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: pushed.artifactDigest,
          size: Buffer.byteLength(JSON.stringify(artifact.body)),
          artifactType: DISK_ARTIFACT_TYPE,
          annotations: (artifact.body as { annotations: Record<string, string> }).annotations,
        },
      ],
    });
  });

  it('is idempotent: a second push sends no blob and leaves one entry in the index', async () => {
    const again = await pushPrebuilt(entryA, { registry: INSECURE });
    expect(again).toMatchObject({ diskUploaded: false, bytesUploaded: 0, listedBy: 'tag-schema' });
    const index = await getJson(`${registry.url}/v2/fleet/app/manifests/${again.referrersTag}`, 'application/vnd.oci.image.index.v1+json');
    expect((index.body?.manifests as unknown[]).length).toBe(1);
  });

  it('host B registers the same disk from the registry, without converting, and says where it came from', async () => {
    const hostB = await newHost();
    const resolved = await resolveImage(image.reference, INSECURE);
    const logs: string[] = [];
    const outcome = await pullPrebuilt({ ...pullRequest(hostB, resolved, image.reference), log: (level, message) => logs.push(`${level}: ${message}`) });
    expect(outcome.refused).toEqual([]);
    expect(logs).toEqual([]);
    expect(outcome.foundBy).toBe('tag-schema');
    expect(outcome.bytesPulled).toBe(entryA.sizeBytes);
    const entryB = outcome.registered!.entry;
    expect(outcome.registered!.alreadyPresent).toBe(false);
    expect(entryB).toMatchObject({
      name: image.reference,
      manifestDigest: image.manifest.digest,
      configDigest: image.config.digest,
      source: 'registry',
      sha256: entryA.sha256,
      sizeBytes: entryA.sizeBytes,
      compression: 'lz4',
      erofsUtilsVersion: entryA.erofsUtilsVersion,
      tags: ['v1'],
      ...APP_RUNTIME,
    });
    const metadata = await readMetadata(entryB.dir);
    expect(metadata.pulledFrom).toEqual({
      repository: `${registry.address}/fleet/app`,
      artifactDigest: (await pushPrebuilt(entryA, { registry: INSECURE })).artifactDigest,
      blobDigest: entryA.sha256,
      foundBy: 'tag-schema',
    });
    expect(sha256File(entryB.diskPath)).toBe(entryA.sha256);
    await expectAppTree(entryB.diskPath);
  });
});

describe('pull refuses what does not check out, with a code, and registers nothing', () => {
  let image: PushedImage;
  let resolved: ResolvedImage;

  beforeAll(async () => {
    image = await pushImage(registry.address, 'fleet/tampered', APP_SPEC, { tag: 'v1' });
    resolved = await resolveImage(image.reference, INSECURE);
  });

  async function expectNothingRegistered(host: TempStore): Promise<void> {
    expect(await findReadyImage(host.store, parseReference(image.reference), image.manifest.digest)).toBeUndefined();
    const entryDir = `${host.store.imagesDir}/${registry.address}/fleet/tampered/${image.manifest.digest.slice(7)}`;
    // Only the lock file may stand in the entry directory: no temp disk, no metadata.
    expect((await readdir(entryDir).catch(() => [])).filter((name) => name !== '.lock')).toEqual([]);
  }

  it('a disk blob whose stored bytes were changed: DIGEST_MISMATCH', async () => {
    const entry = await convertOnHost(image, await newHost());
    const pushed = await pushPrebuilt(entry, { registry: INSECURE });
    corruptStoredBlob(registry, entry.sha256);

    const hostB = await newHost();
    const outcome = await pullPrebuilt(pullRequest(hostB, resolved, image.reference));
    expect(outcome.registered).toBeUndefined();
    expect(outcome.refused).toEqual([{ artifactDigest: pushed.artifactDigest, code: 'DIGEST_MISMATCH', message: expect.stringContaining(entry.sha256) as unknown }]);
    await expectNothingRegistered(hostB);
  });

  it('an artifact of ours whose blob is not an EROFS disk (correct digest): BAD_SUPERBLOCK, and the next candidate is not hidden by it', async () => {
    const garbage = randomBytes(8192);
    const client = await RegistryClient.open(registry.address, 'fleet/tampered', { ...INSECURE, push: true });
    try {
      await pushBlob(client, { digest: sha256Digest(garbage), size: garbage.length, open: () => Readable.from([garbage]) });
      const subject = { mediaType: resolved.manifestMediaType, digest: resolved.manifestDigest, size: resolved.manifestSize };
      const liar = buildDiskArtifact(subject, { digest: sha256Digest(garbage), size: garbage.length }, {
        format: 'erofs',
        compression: 'lz4',
        platform: 'linux/amd64',
        erofsUtilsVersion: '0.0-liar',
        treeDigest: treeDigest(resolved.layers.map((layer) => layer.diffId)),
      });
      await pushManifest(client, liar.digest, liar);
      await addReferrer(client, resolved.manifestDigest, liar.descriptor);

      const outcome = await pullPrebuilt(pullRequest(await newHost(), resolved, image.reference));
      expect(outcome.registered).toBeUndefined();
      // Newest first: the liar, then the tampered disk of the test before.
      expect(outcome.refused.map((refusal) => [refusal.artifactDigest, refusal.code])).toEqual([
        [liar.digest, 'BAD_SUPERBLOCK'],
        [expect.any(String) as unknown, 'DIGEST_MISMATCH'],
      ]);
      const index = await getJson(`${registry.url}/v2/fleet/tampered/manifests/${referrersTag(resolved.manifestDigest)}`, 'application/vnd.oci.image.index.v1+json');
      expect((index.body?.manifests as unknown[]).length).toBe(2);
    } finally {
      client.close();
    }
  });

  it('a lookup that fails is reported as the reason, not thrown', async () => {
    const dead = await startRegistry();
    const address = dead.address;
    await dead.stop();
    const outcome = await pullPrebuilt({
      ...pullRequest(await newHost(), { ...resolved, registry: address }, image.reference),
      registry: { ...INSECURE, retries: 0 },
    });
    expect(outcome.registered).toBeUndefined();
    expect(outcome.refused).toEqual([{ code: 'REGISTRY_ERROR', message: expect.stringContaining(address) as unknown }]);
  });
});
