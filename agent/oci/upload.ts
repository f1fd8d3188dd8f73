// Writing to a repository (distribution-spec "Push"): blobs by a monolithic
// POST-then-PUT upload whose body streams from its source through a digest
// check, and manifests by PUT. Requests go through RegistryClient.request, so
// they share its login, transport (timeouts, CA, cancellation) and error codes.
import { pipeline, type Readable } from 'node:stream';
import { BuilderError } from '../../proto/errors.js';
import { DigestVerifier } from './digest.js';
import type { RegistryClient } from './registry.js';

export interface BlobToPush {
  /** `sha256:<hex>` the bytes must hash to; the registry checks it too (`?digest=`). */
  digest: string;
  size: number;
  /** Opens the bytes, start to end. Called at most once. */
  open(): Readable;
}

export interface PushedBlob {
  /** False when the registry had the blob already: nothing was sent. */
  uploaded: boolean;
  /** Bytes sent in the upload body. */
  bytesSent: number;
}

/**
 * Uploads a blob unless the repository has it. The body is never held in
 * memory: it streams from `open()` through a verifier that hashes it in the
 * same pass and fails the request when the bytes run past `size` or, at the
 * end, do not hash to `digest`; the registry checks `?digest=` against what it
 * received as well, so a source that changed under us never lands.
 */
export async function pushBlob(client: RegistryClient, blob: BlobToPush, signal?: AbortSignal): Promise<PushedBlob> {
  const what = `blob ${blob.digest} to ${client.repository}`;
  const head = await client.request({ method: 'HEAD', path: `blobs/${blob.digest}`, expectStatus: [200, 404] }, `check ${what}`, 'REGISTRY_ERROR', signal);
  if (head.status === 200) return { uploaded: false, bytesSent: 0 };

  const start = await client.request(
    { method: 'POST', path: 'blobs/uploads/', headers: { 'content-length': '0' }, body: '', expectStatus: [202] },
    `start upload of ${what}`,
    'REGISTRY_ERROR',
    signal,
  );
  const location = start.header('location');
  if (location === undefined) throw new BuilderError('REGISTRY_ERROR', `start upload of ${what}: the registry answered 202 without a Location`);
  const target = new URL(location, start.url);
  target.searchParams.append('digest', blob.digest);

  let verifier: DigestVerifier | undefined;
  try {
    await client.request(
      {
        method: 'PUT',
        path: target.href,
        headers: { 'content-type': 'application/octet-stream', 'content-length': String(blob.size) },
        body: {
          open: () => {
            verifier = new DigestVerifier({ digest: blob.digest, size: blob.size, label: what });
            pipeline(blob.open(), verifier, () => undefined); // a source error reaches the verifier, which the request reads
            return verifier;
          },
        },
        expectStatus: [201],
      },
      `upload of ${what}`,
      'REGISTRY_ERROR',
      signal,
    );
  } catch (err) {
    // Tell the registry to drop what it received; its answer does not matter.
    await client.request({ method: 'DELETE', path: location, expectStatus: [204, 404] }, `cancel upload of ${what}`).catch(() => undefined);
    throw err;
  }
  return { uploaded: true, bytesSent: verifier?.bytes ?? 0 };
}

export interface PushedManifest {
  /** The digest the registry reports (Docker-Content-Digest), checked against the bytes' own. */
  digest: string;
  /** The registry's OCI-Subject header: set when it processed the manifest's subject (it has the referrers API). */
  subjectProcessed?: string;
  /** Set when a condition was given and the registry refused the PUT for it (412): what is there changed. */
  preconditionFailed?: true;
}

/** Only replace what was read (If-Match: its ETag), or only create (If-None-Match: *); for registries that honour ETag conditions. */
export type PutCondition = { ifMatch: string } | { ifNoneMatch: '*' };

/** PUTs a manifest or index under `reference` (a tag or its digest). */
export async function pushManifest(
  client: RegistryClient,
  reference: string,
  manifest: { bytes: Buffer; mediaType: string; digest: string },
  signal?: AbortSignal,
  condition?: PutCondition,
): Promise<PushedManifest> {
  const what = `manifest ${client.repository}:${reference}`;
  const conditional: Record<string, string> =
    condition === undefined ? {} : 'ifMatch' in condition ? { 'if-match': condition.ifMatch } : { 'if-none-match': condition.ifNoneMatch };
  const res = await client.request(
    {
      method: 'PUT',
      path: `manifests/${reference}`,
      headers: { 'content-type': manifest.mediaType, ...conditional },
      body: manifest.bytes,
      expectStatus: condition === undefined ? [201] : [201, 412],
    },
    `push of ${what}`,
    'REGISTRY_ERROR',
    signal,
  );
  if (res.status === 412) return { digest: manifest.digest, preconditionFailed: true };
  const reported = res.header('docker-content-digest');
  if (reported !== undefined && reported !== manifest.digest) {
    throw new BuilderError('DIGEST_MISMATCH', `push of ${what}: the registry stored ${reported}, the bytes are ${manifest.digest}`);
  }
  const subject = res.header('oci-subject');
  return { digest: manifest.digest, ...(subject !== undefined && { subjectProcessed: subject }) };
}
