// The referrers of a manifest (distribution-spec 1.1, "Listing Referrers" and
// "Unavailable Referrers API"): listed through the referrers API where the
// registry has it, else from the image index under the referrers tag
// (`sha256-<hex>`); and a pushed referrer added to that index when the
// registry did not process the manifest's subject itself.
import { setTimeout as sleep } from 'node:timers/promises';
import { BuilderError, isBuilderError } from '../../proto/errors.js';
import { sha256Digest } from '../../core/digest.js';
import { parseManifest, type Descriptor, type ImageIndex } from './manifest.js';
import { OCI_INDEX } from './mediatypes.js';
import { MAX_MANIFEST_BYTES, type RegistryClient } from './registry.js';
import { pushManifest, type PutCondition } from './upload.js';

export type ReferrersSource = 'referrers-api' | 'tag-schema';

export interface ReferrersList {
  source: ReferrersSource;
  /** Image manifests and indexes whose subject is the digest, as the registry (or the tag's index) lists them. */
  descriptors: Descriptor[];
  /** Why a tag-schema answer counted as "no referrers" (it was not an image index). */
  note?: string;
}

/** Pages of a referrers API answer followed at most (each is at most 4 MiB). */
const MAX_PAGES = 16;
/** Attempts to get a referrer into the tag's index when other writers race with us. */
const UPDATE_ATTEMPTS = 8;
/** Least wait before the second check of a written index (racing writers' windows are a GET and a PUT long). */
const SETTLE_MIN_MS = 250;
// Characters a tag may not contain (`[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}`).
const NOT_TAG_CHARS = /[^a-zA-Z0-9._-]/g;

/**
 * The referrers tag of a digest: its algorithm truncated to 32 characters, `-`,
 * its encoded part truncated to 64, with characters a tag cannot hold replaced by `-`.
 */
export function referrersTag(digest: string): string {
  const colon = digest.indexOf(':');
  if (colon <= 0) throw new BuilderError('INVALID_ARGUMENT', `not a digest: ${JSON.stringify(digest)}`);
  return `${digest.slice(0, colon).slice(0, 32)}-${digest.slice(colon + 1).slice(0, 64)}`.replace(NOT_TAG_CHARS, '-');
}

/**
 * Lists the referrers of `subject`, only those of `artifactType` when given (a
 * registry that ignores the filter is filtered here). A 404 from the referrers
 * API means the registry has none: the tag schema is read instead.
 */
export async function listReferrers(client: RegistryClient, subject: string, options: { artifactType?: string; signal?: AbortSignal } = {}): Promise<ReferrersList> {
  const { artifactType, signal } = options;
  const keep = (descriptors: Descriptor[]): Descriptor[] =>
    artifactType === undefined ? descriptors : descriptors.filter((descriptor) => descriptor.artifactType === artifactType);
  const query = artifactType === undefined ? '' : `?artifactType=${encodeURIComponent(artifactType)}`;
  let path: string | undefined = `referrers/${subject}${query}`;
  const descriptors: Descriptor[] = [];
  for (let page = 0; path !== undefined; page++) {
    if (page === MAX_PAGES) throw new BuilderError('REGISTRY_ERROR', `referrers of ${subject}: more than ${MAX_PAGES} pages`);
    const res = await client.request(
      { method: 'GET', path, headers: { accept: OCI_INDEX }, expectStatus: [200, 404], maxBodyBytes: MAX_MANIFEST_BYTES },
      `referrers of ${subject} in ${client.repository}`,
      'REGISTRY_ERROR',
      signal,
    );
    if (res.status === 404) {
      if (page > 0) throw new BuilderError('REGISTRY_ERROR', `referrers of ${subject}: page ${page + 1} answered 404`);
      return listFromTag(client, subject, keep, signal);
    }
    const index = parseIndex(res.body, res.header('content-type'), `referrers of ${subject}`);
    descriptors.push(...keep(index.manifests));
    path = nextPage(res.header('link'), res.url);
  }
  return { source: 'referrers-api', descriptors };
}

async function listFromTag(
  client: RegistryClient,
  subject: string,
  keep: (descriptors: Descriptor[]) => Descriptor[],
  signal: AbortSignal | undefined,
): Promise<ReferrersList> {
  const current = await readTagIndex(client, subject, signal);
  if (current.kind === 'other') return { source: 'tag-schema', descriptors: [], note: current.note };
  return { source: 'tag-schema', descriptors: current.index === undefined ? [] : keep(current.index.manifests) };
}

type TagIndex = { kind: 'index'; index?: ImageIndex; json?: Record<string, unknown>; etag?: string } | { kind: 'other'; note: string };

/** The index under the referrers tag of `subject`: absent (404), an index, or something else the tag holds. */
async function readTagIndex(client: RegistryClient, subject: string, signal: AbortSignal | undefined): Promise<TagIndex> {
  const tag = referrersTag(subject);
  let fetched;
  try {
    fetched = await client.fetchManifest(tag, signal);
  } catch (err) {
    if (isBuilderError(err, 'NOT_FOUND')) return { kind: 'index' };
    throw err;
  }
  const label = `referrers tag ${client.repository}:${tag}`;
  let parsed;
  try {
    parsed = parseManifest(fetched.bytes, fetched.contentType, label);
  } catch (err) {
    if (isBuilderError(err, 'MANIFEST_INVALID') || isBuilderError(err, 'UNSUPPORTED_MEDIA_TYPE')) return { kind: 'other', note: (err as Error).message };
    throw err;
  }
  if (parsed.kind !== 'index' || parsed.mediaType !== OCI_INDEX) {
    return { kind: 'other', note: `${label} holds a ${parsed.mediaType}, not an OCI image index` };
  }
  return {
    kind: 'index',
    index: parsed,
    json: JSON.parse(fetched.bytes.toString('utf8')) as Record<string, unknown>,
    ...(fetched.etag !== undefined && { etag: fetched.etag }),
  };
}

/**
 * Adds `referrer` (a pushed manifest's descriptor: artifactType and annotations
 * copied from it) to the index under the referrers tag of `subject`, as the
 * spec asks of a client whose registry did not process the subject: read the
 * index (none: start empty), refuse to overwrite anything else under the tag,
 * skip when listed already, append, push. Everything else in the index is kept
 * as it was. The PUT is conditional (If-Match the ETag read, If-None-Match when
 * there was no index) for registries that honour it. docker-registry 2.8 does
 * not, and a writer that read before our PUT can replace our index with its
 * own: so after writing, the index is read again at once and once more after
 * a settle time longer than a writer's read-to-write window (twice ours, at
 * least SETTLE_MIN_MS), and ours added again whenever it is missing.
 */
export async function addReferrer(client: RegistryClient, subject: string, referrer: Descriptor, signal?: AbortSignal): Promise<{ added: boolean }> {
  const tag = referrersTag(subject);
  const listed = (current: TagIndex): boolean => current.kind === 'index' && current.index?.manifests.some((d) => d.digest === referrer.digest) === true;
  const read = (): Promise<TagIndex> => readTagIndex(client, subject, signal);
  const pause = (ms: number): Promise<void> => sleep(ms, undefined, signal ? { signal } : {});
  let current = await read();
  for (let pushes = 0; ; pushes++) {
    if (current.kind === 'other') throw new BuilderError('MANIFEST_INVALID', `not adding a referrer: ${current.note}; the tag is left as it is`);
    if (listed(current)) return { added: pushes > 0 };
    if (pushes === UPDATE_ATTEMPTS) {
      throw new BuilderError('REGISTRY_ERROR', `${client.repository}:${tag}: other writers replaced the referrers index ${UPDATE_ATTEMPTS} times; ${referrer.digest} is not listed`);
    }
    const started = performance.now();
    const json = current.json ?? { schemaVersion: 2, mediaType: OCI_INDEX, manifests: [] };
    const bytes = Buffer.from(JSON.stringify({ ...json, manifests: [...(json.manifests as unknown[]), referrer] }));
    const condition: PutCondition | undefined = current.json === undefined ? { ifNoneMatch: '*' } : current.etag !== undefined ? { ifMatch: current.etag } : undefined;
    await pushManifest(client, tag, { bytes, mediaType: OCI_INDEX, digest: sha256Digest(bytes) }, signal, condition);
    current = await read();
    if (listed(current)) {
      await pause(Math.max(SETTLE_MIN_MS, 2 * (performance.now() - started)));
      current = await read();
      if (listed(current)) return { added: true };
    }
    // A racing writer's index replaced ours: let it settle, then add ours to whatever it wrote.
    await pause(50 + Math.random() * 100 * (pushes + 1));
    current = await read();
  }
}

function parseIndex(bytes: Buffer, contentType: string | undefined, label: string): ImageIndex {
  const parsed = parseManifest(bytes, contentType, label);
  if (parsed.kind !== 'index') throw new BuilderError('MANIFEST_INVALID', `${label}: the registry answered a ${parsed.mediaType}, not an image index`);
  return parsed;
}

/** The `rel="next"` target of a Link header (RFC 5988), resolved against the answering URL. */
function nextPage(link: string | undefined, base: string): string | undefined {
  if (link === undefined) return undefined;
  for (const part of link.split(',')) {
    const match = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (match && /(^|;)\s*rel="?next"?\s*(;|$)/.test(match[2] ?? '')) return new URL(match[1] ?? '', base).href;
  }
  return undefined;
}
