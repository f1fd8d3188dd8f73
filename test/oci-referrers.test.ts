// The referrers of a manifest: the tag schema on the real docker-registry 2.8
// (no referrers API), done as distribution-spec 1.1 asks (keep what others
// listed, no duplicates, never overwrite a tag that is not an index, survive
// racing writers), and the referrers API where a registry has it (a proxy that
// adds it in front of the real registry, see test/oci/referrers-api.ts).
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sha256Digest } from '../core/digest.js';
import type { Descriptor } from '../agent/oci/manifest.js';
import { addReferrer, listReferrers, referrersTag } from '../agent/oci/referrers.js';
import { RegistryClient } from '../agent/oci/registry.js';
import { pushBlob, pushManifest } from '../agent/oci/upload.js';
import { pushImage, type PushedImage } from '../testkit/fixtures/index.js';
import { startFaultProxy, type FaultProxy } from '../testkit/fault-proxy.js';
import { startReferrersApi, type ReferrersApi } from './oci/referrers-api.js';

const registry = inject('registryAddress');
const SPEC = { layers: [{ entries: [{ type: 'file' as const, path: 'subject.txt', content: 'a subject\n' }] }] };
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const EMPTY = { mediaType: 'application/vnd.oci.empty.v1+json', digest: sha256Digest(Buffer.from('{}')), size: 2 };

async function open(address: string, repository: string, retries = 0): Promise<RegistryClient> {
  return RegistryClient.open(address, repository, { insecure: true, push: true, retries, retryDelayMs: 50 });
}

/** Pushes an artifact with `subject` and returns its descriptor as a referrers list carries it. */
async function pushArtifact(client: RegistryClient, subject: PushedImage, artifactType: string, note: string): Promise<Descriptor & { subjectProcessed?: string }> {
  await pushBlob(client, { ...EMPTY, open: () => Readable.from([Buffer.from('{}')]) });
  const annotations = { 'org.example.note': note };
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      artifactType,
      config: EMPTY,
      layers: [EMPTY],
      subject: { mediaType: subject.manifest.mediaType, digest: subject.manifest.digest, size: subject.manifest.size },
      annotations,
    }),
  );
  const digest = sha256Digest(bytes);
  const pushed = await pushManifest(client, digest, { bytes, mediaType: OCI_MANIFEST, digest });
  return { mediaType: OCI_MANIFEST, digest, size: bytes.length, artifactType, annotations, ...(pushed.subjectProcessed && { subjectProcessed: pushed.subjectProcessed }) };
}

async function tagIndex(repository: string, subject: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`http://${registry}/v2/${repository}/manifests/${referrersTag(subject)}`, { headers: { accept: OCI_INDEX } });
  return { status: res.status, text: await res.text() };
}

describe('referrersTag (distribution-spec "Referrers Tag Schema" examples)', () => {
  it('maps digests to tags: truncated algorithm, -, truncated encoded part, invalid characters replaced', () => {
    expect(referrersTag(`sha256:${'a'.repeat(64)}`)).toBe(`sha256-${'a'.repeat(64)}`);
    expect(referrersTag(`sha512:${'a'.repeat(128)}`)).toBe(`sha512-${'a'.repeat(64)}`);
    expect(
      referrersTag(
        'test+algorithm+using+algorithm+separators+and+lots+of+characters+to+excercise+overall+truncation:alsoSome=InTheEncodedSectionToShowHyphenReplacementAndLotsAndLotsOfCharactersToExcerciseEncodedTruncation',
      ),
    ).toBe('test-algorithm-using-algorithm-s-alsoSome-InTheEncodedSectionToShowHyphenReplacementAndLotsAndLot');
  });
});

describe('the tag schema on docker-registry 2.8', () => {
  it('a manifest without referrers has none: the API answers 404 and there is no tag', async () => {
    const subject = await pushImage(registry, 'referrers/none', SPEC);
    const client = await open(registry, 'referrers/none');
    try {
      expect(await listReferrers(client, subject.manifest.digest)).toEqual({ source: 'tag-schema', descriptors: [] });
    } finally {
      client.close();
    }
  });

  it("adds to an existing index without touching others' entries or the index's own fields, and never twice", async () => {
    const subject = await pushImage(registry, 'referrers/keep', SPEC);
    const client = await open(registry, 'referrers/keep');
    try {
      const foreign = await pushArtifact(client, subject, 'application/vnd.example.sbom', 'someone else');
      // Another tool's index, with fields of its own (unknown descriptor fields, index annotations).
      const theirs = {
        schemaVersion: 2,
        mediaType: OCI_INDEX,
        manifests: [{ ...foreign, 'org.example.extra': { kept: true } }],
        annotations: { 'org.example.index': 'theirs' },
      };
      const theirBytes = Buffer.from(JSON.stringify(theirs));
      await pushManifest(client, referrersTag(subject.manifest.digest), { bytes: theirBytes, mediaType: OCI_INDEX, digest: sha256Digest(theirBytes) });

      const ours = await pushArtifact(client, subject, 'application/vnd.example.disk', 'ours');
      expect(await addReferrer(client, subject.manifest.digest, ours)).toEqual({ added: true });
      const after = await tagIndex('referrers/keep', subject.manifest.digest);
      expect(JSON.parse(after.text)).toEqual({ ...theirs, manifests: [...theirs.manifests, ours] });

      expect(await addReferrer(client, subject.manifest.digest, ours)).toEqual({ added: false });
      expect((await tagIndex('referrers/keep', subject.manifest.digest)).text).toBe(after.text);

      const listed = await listReferrers(client, subject.manifest.digest, { artifactType: 'application/vnd.example.disk' });
      expect(listed).toEqual({ source: 'tag-schema', descriptors: [ours] });
    } finally {
      client.close();
    }
  });

  it('refuses to overwrite a tag that holds something other than an image index, and lists no referrers from it', async () => {
    const subject = await pushImage(registry, 'referrers/occupied', SPEC);
    // An image manifest pushed under the referrers tag by someone else.
    const squatter = await pushImage(registry, 'referrers/occupied', SPEC, { tag: referrersTag(subject.manifest.digest) });
    const client = await open(registry, 'referrers/occupied');
    try {
      const ours = await pushArtifact(client, subject, 'application/vnd.example.disk', 'ours');
      await expect(addReferrer(client, subject.manifest.digest, ours)).rejects.toMatchObject({ code: 'MANIFEST_INVALID', message: expect.stringContaining('not an OCI image index') as unknown });
      const listed = await listReferrers(client, subject.manifest.digest);
      expect(listed).toMatchObject({ source: 'tag-schema', descriptors: [], note: expect.stringContaining('not an OCI image index') as unknown });
      const stillThere = await fetch(`http://${registry}/v2/referrers/occupied/manifests/${referrersTag(subject.manifest.digest)}`, { headers: { accept: OCI_MANIFEST } });
      expect(stillThere.headers.get('docker-content-digest')).toBe(squatter.manifest.digest);
    } finally {
      client.close();
    }
  });

  it('writers racing on one index all end up listed (re-read after each write and after a settle time)', async () => {
    const subject = await pushImage(registry, 'referrers/race', SPEC);
    // docker-registry 2.8 sometimes answers a read of a tag being rewritten with 500: retried, as by default.
    const writers = await Promise.all(Array.from({ length: 4 }, () => open(registry, 'referrers/race', 4)));
    try {
      const artifacts = await Promise.all(writers.map((client, i) => pushArtifact(client, subject, 'application/vnd.example.disk', `writer ${i}`)));
      await Promise.all(writers.map((client, i) => addReferrer(client, subject.manifest.digest, artifacts[i]!)));
      const listed = await listReferrers(writers[0]!, subject.manifest.digest);
      expect(listed.descriptors.map((d) => d.digest).sort()).toEqual(artifacts.map((a) => a.digest).sort());
    } finally {
      for (const client of writers) client.close();
    }
  });

  it('a conditional PUT refused with 412 (what a registry honouring ETags answers a lost race) is read again and retried', async () => {
    // docker-registry 2.8 ignores If-Match, so the 412 is the one fault injected here.
    const subject = await pushImage(registry, 'referrers/etag', SPEC);
    let refused = 0;
    const proxy: FaultProxy = await startFaultProxy({
      upstream: registry,
      fault: (req) => {
        if (req.method === 'PUT' && req.url?.endsWith(referrersTag(subject.manifest.digest)) && refused === 0) {
          refused++;
          return { kind: 'status', status: 412, body: '{"errors":[{"code":"PRECONDITION_FAILED","message":"changed"}]}' };
        }
        return undefined;
      },
    });
    const client = await open(proxy.address, 'referrers/etag');
    try {
      const ours = await pushArtifact(client, subject, 'application/vnd.example.disk', 'ours');
      expect(await addReferrer(client, subject.manifest.digest, ours)).toEqual({ added: true });
      expect(refused).toBe(1);
      const conditional = proxy.requests.filter((r) => r.method === 'PUT' && r.path.endsWith(referrersTag(subject.manifest.digest)));
      expect(conditional.length).toBe(2);
      expect(JSON.parse((await tagIndex('referrers/etag', subject.manifest.digest)).text)).toMatchObject({ manifests: [ours] });
    } finally {
      client.close();
      await proxy.close();
    }
  });
});

describe('the referrers API (a registry that has it)', () => {
  let api: ReferrersApi;
  let unfiltered: ReferrersApi;
  beforeAll(async () => {
    api = await startReferrersApi({ upstream: registry, pageSize: 2 });
    unfiltered = await startReferrersApi({ upstream: registry, filter: false });
  });
  afterAll(async () => {
    await api?.close();
    await unfiltered?.close();
  });

  it('the registry processes the subject (OCI-Subject), lists referrers over pages, and no tag is written', async () => {
    const subject = await pushImage(registry, 'referrers/api', SPEC);
    const client = await open(api.address, 'referrers/api');
    try {
      const pushed = [];
      for (let i = 0; i < 5; i++) pushed.push(await pushArtifact(client, subject, 'application/vnd.example.disk', `n${i}`));
      pushed.push(await pushArtifact(client, subject, 'application/vnd.example.sbom', 'other type'));
      expect(pushed.every((p) => p.subjectProcessed === subject.manifest.digest)).toBe(true);

      const listed = await listReferrers(client, subject.manifest.digest, { artifactType: 'application/vnd.example.disk' });
      expect(listed.source).toBe('referrers-api');
      expect(listed.descriptors.map((d) => d.annotations?.['org.example.note'])).toEqual(['n0', 'n1', 'n2', 'n3', 'n4']);
      // 5 referrers, 2 per page: 3 requests.
      expect(api.listings.filter((path) => path.includes(subject.manifest.digest)).length).toBe(3);
      expect((await tagIndex('referrers/api', subject.manifest.digest)).status).toBe(404);
    } finally {
      client.close();
    }
  });

  it('a registry that ignores the artifactType filter is filtered by the client', async () => {
    const subject = await pushImage(registry, 'referrers/unfiltered', SPEC);
    const client = await open(unfiltered.address, 'referrers/unfiltered');
    try {
      const disk = await pushArtifact(client, subject, 'application/vnd.example.disk', 'disk');
      await pushArtifact(client, subject, 'application/vnd.example.sbom', 'sbom');
      const { subjectProcessed: _, ...listedForm } = disk;
      expect(await listReferrers(client, subject.manifest.digest, { artifactType: 'application/vnd.example.disk' })).toEqual({
        source: 'referrers-api',
        descriptors: [listedForm],
      });
    } finally {
      client.close();
    }
  });
});
