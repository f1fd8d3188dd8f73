// The registry client: oci-registry-client's RegistryClientV2 (auth challenge
// flow, manifest negotiation, blob redirects, registry error parsing) running
// on HttpTransport (timeouts, retries, cancellation, CA, body limits), with
// the token request and the error mapping done here. Every failure leaves as
// a BuilderError with a stable code.
import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { RegistryClientV2, RegistryHttpError } from 'oci-registry-client';
import type { DockerJsonClient } from 'oci-registry-client/build/docker-json-client.js';
import { BuilderError, type ErrorCode } from '../../proto/errors.js';
import { PACKAGE_VERSION } from '../../core/version.js';
import { credentialsFromDockerConfig, type Credentials } from './credentials.js';
import { DEFAULT_REGISTRY } from '../../core/reference.js';
import { HttpTransport, inScope, type OperationScope, type RequestBody } from './transport.js';

export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

export interface RegistryOptions {
  /** Plain http to this registry (and its token realm, when that has no scheme). */
  insecure?: boolean;
  username?: string;
  password?: string;
  /** Used as is; skips the token flow. */
  bearerToken?: string;
  /** OAuth2 refresh token for the registry's token server (docker config.json `identitytoken`). */
  identityToken?: string;
  /** A docker `config.json`; its `auths` entry for the registry is used when no credentials are given above. */
  authFile?: string;
  /** Extra CA certificates for https, as a PEM file or PEM text (on top of the system roots). */
  caFile?: string;
  caPem?: string;
  /** Connect + response headers, and each wait for body bytes. Default 30 s. */
  timeoutMs?: number;
  /** Retries after connection errors, timeouts before headers, 5xx and 429. Default 4. */
  retries?: number;
  /** First backoff; doubles each retry. Default 250 ms. */
  retryDelayMs?: number;
  /** Cap on one wait between retries (also caps Retry-After). Default 10 s. */
  maxRetryDelayMs?: number;
  userAgent?: string;
  /** Cancels every request of this client. */
  signal?: AbortSignal;
  /** Ask for push access as well as pull (token scope `repository:NAME:pull,push`), for clients that write. */
  push?: boolean;
}

/** One request to this repository's part of the API (see RegistryClient.request). */
export interface RepositoryRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Below `/v2/<repository>/` (e.g. `blobs/uploads/`), or an absolute URL the registry handed out (an upload Location). */
  path: string;
  headers?: Record<string, string>;
  body?: RequestBody;
  /** Statuses that are an answer; any other is an error mapped like every registry error (404 NOT_FOUND, 401/403 UNAUTHORIZED, ...). */
  expectStatus: number[];
  /** Bound on the answer's body (read whole); default 64 KiB. */
  maxBodyBytes?: number;
}

export interface RepositoryResponse {
  status: number;
  /** Header lookup by lower-case name. */
  header(name: string): string | undefined;
  body: Buffer;
  /** The URL that answered (after redirects), for resolving relative Locations. */
  url: string;
}

export interface FetchedManifest {
  /** The exact bytes served (what the digest is computed over). */
  bytes: Buffer;
  /** The Content-Type header, when the registry sent one. */
  contentType?: string;
  /** Docker-Content-Digest header, when the registry sent one. */
  headerDigest?: string;
  /** ETag header, when the registry sent one (for a conditional update of what was read). */
  etag?: string;
}

/** The parts of the library's DockerResponse (a node-fetch Response, untyped here) this module reads. */
interface LibraryResponse {
  status: number;
  headers: { get(name: string): string | null };
  decodedBody?: Uint8Array;
}

type TokenRequest = { realm: string; service?: string; scopes?: string[] };

/** RegistryClientV2 with its transport swapped and its token request replaced (see README). */
class LibraryClient extends RegistryClientV2 {
  constructor(
    options: ConstructorParameters<typeof RegistryClientV2>[0],
    private readonly apiFor: (baseUrl: string) => DockerJsonClient,
    baseUrl: string,
    private readonly credentials: Credentials & { bearerToken?: string },
  ) {
    super(options);
    // `_api` is the library's private factory of its HTTP client; this instance's one uses HttpTransport.
    Object.defineProperty(this, '_api', { get: () => apiFor(baseUrl) });
  }

  override async login(opts?: Parameters<RegistryClientV2['login']>[0]): Promise<void> {
    if (this.credentials.bearerToken !== undefined) return; // set as the Authorization header by the constructor
    return super.login(opts);
  }

  /** Forgets the login so the next request fetches a fresh token (after a 401 from an expired one). */
  forgetLogin(): boolean {
    const state = this as unknown as { _loggedIn: boolean; _authInfo?: { type: string } | null };
    const wasBearer = state._authInfo?.type === 'Bearer' && this.credentials.bearerToken === undefined;
    state._loggedIn = false;
    return wasBearer;
  }

  /** The token request: GET with optional basic credentials, or the OAuth2 refresh-token POST. */
  override async _getToken(opts: TokenRequest): Promise<string> {
    const realm = /^[a-z][a-z0-9+.-]*:\/\//i.test(opts.realm) ? opts.realm : `${this.insecure ? 'http' : 'https'}://${opts.realm}`;
    const url = new URL(realm);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new BuilderError('UNAUTHORIZED', `token realm ${JSON.stringify(opts.realm)} is not an http(s) URL`);
    }
    const api = this.apiFor(url.origin);
    const { username, password, identityToken } = this.credentials;
    let resp;
    if (identityToken !== undefined) {
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: identityToken, client_id: 'erofs-builder' });
      if (opts.service) form.set('service', opts.service);
      if (opts.scopes?.length) form.set('scope', opts.scopes.join(' '));
      resp = await api.request({
        method: 'POST',
        path: url.href,
        headers: headerBag({ 'content-type': 'application/x-www-form-urlencoded' }),
        body: form.toString(),
        expectStatus: [200],
      });
    } else {
      if (opts.service) url.searchParams.set('service', opts.service);
      for (const scope of opts.scopes ?? []) url.searchParams.append('scope', scope);
      const headers: Record<string, string> = {};
      if (username !== undefined) {
        url.searchParams.set('account', username);
        headers.authorization = `Basic ${Buffer.from(`${username}:${password ?? ''}`).toString('base64')}`;
      }
      resp = await api.request({ method: 'GET', path: url.href, headers: headerBag(headers), expectStatus: [200] });
    }
    const body = (await resp.dockerJson()) as { token?: unknown; access_token?: unknown } | undefined;
    const token = typeof body?.token === 'string' && body.token !== '' ? body.token : body?.access_token;
    if (typeof token !== 'string' || token === '') {
      throw new BuilderError('UNAUTHORIZED', `token server ${url.origin} answered without a token`);
    }
    return token;
  }
}

/** What the library's request() reads from `headers`: something with forEach(value, name). */
function headerBag(headers: Record<string, string>): { forEach(cb: (value: string, name: string) => void): void } {
  return { forEach: (cb) => Object.entries(headers).forEach(([name, value]) => cb(value, name)) };
}

export class RegistryClient {
  private constructor(
    readonly registry: string,
    readonly repository: string,
    private readonly transport: HttpTransport,
    private readonly library: LibraryClient,
    private readonly baseUrl: string,
  ) {}

  /** A client for one repository; reads the CA and auth files named in `options`. */
  static async open(registry: string, repository: string, options: RegistryOptions = {}): Promise<RegistryClient> {
    const caPem = options.caPem ?? (options.caFile !== undefined ? await readOptionFile(options.caFile, 'CA file') : undefined);
    const credentials = await resolveCredentials(registry, options);
    const userAgent = options.userAgent ?? `erofs-builder/${PACKAGE_VERSION}`;
    const transport = new HttpTransport({
      userAgent,
      ...(caPem !== undefined && { caPem }),
      timeoutMs: options.timeoutMs ?? 30_000,
      retries: options.retries ?? 4,
      retryDelayMs: options.retryDelayMs ?? 250,
      maxRetryDelayMs: options.maxRetryDelayMs ?? 10_000,
      ...(options.signal !== undefined && { signal: options.signal }),
    });
    const official = registry === DEFAULT_REGISTRY;
    if (official && options.insecure) throw new BuilderError('INVALID_ARGUMENT', 'plain http to docker.io is not allowed');
    const scheme = options.insecure ? 'http' : 'https';
    const baseUrl = official ? 'https://registry-1.docker.io' : `${scheme}://${registry}`;
    const library = new LibraryClient(
      {
        repo: {
          index: { name: registry, official, scheme },
          official,
          remoteName: repository,
          localName: `${registry}/${repository}`,
          canonicalName: `${registry}/${repository}`,
        },
        scheme,
        insecure: options.insecure ?? false,
        acceptManifestLists: true,
        acceptOCIManifests: true,
        ...(options.push && { scopes: ['pull', 'push'] }),
        userAgent,
        ...(credentials.username !== undefined && { username: credentials.username }),
        ...(credentials.password !== undefined && { password: credentials.password }),
        ...(credentials.bearerToken !== undefined && { token: credentials.bearerToken }),
      },
      (url) => transport.clientFor(url, userAgent),
      baseUrl,
      credentials,
    );
    return new RegistryClient(registry, repository, transport, library, baseUrl);
  }

  /** Fetches a manifest by tag or digest, reading at most MAX_MANIFEST_BYTES (MANIFEST_TOO_LARGE beyond). */
  async fetchManifest(ref: string, signal?: AbortSignal): Promise<FetchedManifest> {
    const what = `manifest ${this.repository}:${ref}`;
    const scope: OperationScope = {
      ...(signal !== undefined && { signal }),
      maxBodyBytes: MAX_MANIFEST_BYTES,
      tooLarge: (limit) => new BuilderError('MANIFEST_TOO_LARGE', `${what} is larger than ${limit} bytes`),
    };
    const { resp } = await this.call(scope, what, 'MANIFEST_INVALID', () => this.library.getManifest({ ref }));
    const { decodedBody: decoded, headers } = resp as unknown as LibraryResponse;
    if (decoded === undefined) throw new BuilderError('MANIFEST_INVALID', `${what}: empty answer`);
    const contentType = headers.get('content-type');
    const headerDigest = headers.get('docker-content-digest');
    const etag = headers.get('etag');
    return {
      bytes: Buffer.from(decoded.buffer, decoded.byteOffset, decoded.byteLength),
      ...(contentType !== null && { contentType }),
      ...(headerDigest !== null && { headerDigest }),
      ...(etag !== null && { etag }),
    };
  }

  /**
   * Opens a blob's byte stream. Not verified here: use blobs.ts, which checks
   * the digest and size while the bytes flow.
   */
  async openBlob(digest: string, signal?: AbortSignal): Promise<Readable> {
    const scope: OperationScope = { ...(signal !== undefined && { signal }), maxBodyBytes: Infinity };
    const { stream } = await this.call(scope, `blob ${digest}`, 'REGISTRY_ERROR', () => this.library.createBlobReadStream({ digest }));
    return stream as Readable;
  }

  /**
   * A request the library has no call for (uploads, manifest pushes, the
   * referrers API), sent the library's way: logged in for this client's scope,
   * through HttpTransport, registry errors mapped to codes. `what` names it in errors.
   */
  async request(request: RepositoryRequest, what: string, fallback: ErrorCode = 'REGISTRY_ERROR', signal?: AbortSignal): Promise<RepositoryResponse> {
    const maxBodyBytes = request.maxBodyBytes ?? 64 * 1024;
    const scope: OperationScope = {
      ...(signal !== undefined && { signal }),
      maxBodyBytes,
      tooLarge: (limit) => new BuilderError('MANIFEST_TOO_LARGE', `${what}: answer larger than ${limit} bytes`),
    };
    const path = /^https?:\/\//.test(request.path) ? request.path : `/v2/${this.repository}/${request.path}`;
    return this.call(scope, what, fallback, async () => {
      const library = this.library as unknown as { _api: DockerJsonClient; _headers: { forEach(cb: (value: string, name: string) => void): void } };
      const headers: Record<string, string> = {};
      library._headers.forEach((value, name) => (headers[name.toLowerCase()] = value));
      // The registry's credentials go to the registry only, not to an upload location elsewhere.
      if (new URL(path, this.baseUrl).origin !== new URL(this.baseUrl).origin) delete headers.authorization;
      for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = value;
      const resp = (await library._api.request({
        method: request.method,
        path,
        headers: headerBag(headers),
        ...(request.body !== undefined && { body: request.body as string }),
        expectStatus: request.expectStatus,
      })) as unknown as LibraryResponse & { url: string; arrayBuffer(): Promise<ArrayBuffer>; body: unknown };
      const body = request.method === 'HEAD' || resp.body === null ? Buffer.alloc(0) : Buffer.from(await resp.arrayBuffer());
      return { status: resp.status, header: (name) => resp.headers.get(name) ?? undefined, body, url: resp.url };
    });
  }

  /** Drops pooled connections. */
  close(): void {
    this.transport.close();
  }

  private async call<T>(scope: OperationScope, what: string, fallback: ErrorCode, fn: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      // Logging in first, on its own, so a failed challenge or token request is UNAUTHORIZED, not the operation's fallback.
      const loginScope: OperationScope = scope.signal !== undefined ? { signal: scope.signal } : {};
      try {
        await inScope(loginScope, () => this.library.login());
      } catch (err) {
        throw toBuilderError(err, loginScope, `login to ${this.registry} for ${this.repository}`, 'UNAUTHORIZED');
      }
      try {
        return await inScope(scope, fn);
      } catch (err) {
        const failure = toBuilderError(err, scope, what, fallback);
        // A bearer token can expire during a long pull: log in again, once.
        if (failure.code === 'UNAUTHORIZED' && attempt === 0 && this.library.forgetLogin()) {
          delete scope.failure;
          continue;
        }
        throw failure;
      }
    }
  }
}

async function resolveCredentials(registry: string, options: RegistryOptions): Promise<Credentials & { bearerToken?: string }> {
  const given = {
    ...(options.username !== undefined && { username: options.username }),
    ...(options.password !== undefined && { password: options.password }),
    ...(options.identityToken !== undefined && { identityToken: options.identityToken }),
    ...(options.bearerToken !== undefined && { bearerToken: options.bearerToken }),
  };
  if (Object.keys(given).length > 0 || options.authFile === undefined) return given;
  return (await credentialsFromDockerConfig(options.authFile, registry)) ?? {};
}

async function readOptionFile(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new BuilderError('INVALID_ARGUMENT', `cannot read ${what} ${path}: ${(err as Error).message}`, { cause: err });
  }
}

/** Maps whatever the library or the transport threw to a BuilderError. */
function toBuilderError(err: unknown, scope: OperationScope, what: string, fallback: ErrorCode): BuilderError {
  if (scope.failure) return scope.failure;
  if (err instanceof BuilderError) return err;
  if (err instanceof RegistryHttpError) {
    const { status } = err.resp as unknown as LibraryResponse;
    const code: ErrorCode = status === 401 || status === 403 ? 'UNAUTHORIZED' : status === 404 ? 'NOT_FOUND' : 'REGISTRY_ERROR';
    return new BuilderError(code, `${what}: HTTP ${status}: ${oneLine(err.message)}`, { cause: err });
  }
  const error = err instanceof Error ? err : new Error(String(err));
  if (error.name === 'AbortError') return new BuilderError('CANCELLED', `${what}: cancelled`, { cause: err });
  if (error.name === 'BadDigestError') return new BuilderError('DIGEST_MISMATCH', `${what}: ${error.message}`, { cause: err });
  if (/schemaVersion 1/.test(error.message)) {
    return new BuilderError('UNSUPPORTED_MEDIA_TYPE', `${what}: Docker schema 1 manifests are not supported`, { cause: err });
  }
  return new BuilderError(fallback, `${what}: ${oneLine(error.message)}`, { cause: err });
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 300)}...` : flat;
}
