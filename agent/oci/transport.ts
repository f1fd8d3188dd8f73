// The HTTP transport under oci-registry-client. The library's own transport
// (node-fetch v2) has no timeouts, no AbortSignal, no CA option, no retries,
// no body limit, and hangs forever when a Content-Length body is cut short;
// this one replaces it (see README, "Registry client") while the library keeps
// doing the protocol: auth challenges, manifest negotiation, blob redirects.
import { AsyncLocalStorage } from 'node:async_hooks';
import http, { type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import https from 'node:https';
import { rootCertificates } from 'node:tls';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { DockerJsonClient, DockerResponse } from 'oci-registry-client/build/docker-json-client.js';
import { asBuilderError, BuilderError } from '../../proto/errors.js';
import { GuardedBody } from './guarded-body.js';

export interface TransportOptions {
  userAgent: string;
  /** Extra CA certificates (PEM) trusted for https, on top of the system roots. */
  caPem?: string;
  /** Limit for connect + response headers, and for each wait for body bytes. */
  timeoutMs: number;
  /** Retries after a connection error, a timeout before the headers, or a 5xx/429 answer. */
  retries: number;
  retryDelayMs: number;
  /** Cap on one wait between attempts, also when Retry-After asks for more. */
  maxRetryDelayMs: number;
  /** Cancels everything this transport does. */
  signal?: AbortSignal;
}

/** One logical operation (a manifest fetch, a blob stream): its signal, its body limit, its failure. */
export interface OperationScope {
  signal?: AbortSignal;
  /** Limit for 2xx bodies. Default: SMALL_BODY_LIMIT. Blobs pass Infinity (their verifier bounds them). */
  maxBodyBytes?: number;
  tooLarge?: (limit: number) => BuilderError;
  /** Set by the transport when a body failed; the library wraps stream errors, this keeps the original. */
  failure?: BuilderError;
}

const SMALL_BODY_LIMIT = 1024 * 1024; // /v2/ pings, token answers
const ERROR_BODY_LIMIT = 64 * 1024;
const MAX_REDIRECTS = 5;
const TRANSIENT_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'ECONNABORTED']);

const scopes = new AsyncLocalStorage<OperationScope>();

export function inScope<T>(scope: OperationScope, fn: () => Promise<T>): Promise<T> {
  return scopes.run(scope, fn);
}

/**
 * A request body streamed from its source (a blob upload), opened once. It is
 * never re-sent: a retry would need a fresh upload session, which is the
 * uploader's call, not the transport's.
 */
export interface StreamBody {
  open(): Readable;
}

export type RequestBody = string | Buffer | StreamBody;

export interface SendInit {
  method: string;
  headers: OutgoingHttpHeaders;
  body?: RequestBody;
  redirect: 'follow' | 'manual';
}

export function isStreamBody(body: unknown): body is StreamBody {
  return typeof body === 'object' && body !== null && !Buffer.isBuffer(body) && typeof (body as StreamBody).open === 'function';
}

export class HttpTransport {
  private readonly httpAgent = new http.Agent({ keepAlive: true });
  private readonly httpsAgent: https.Agent;

  constructor(private readonly options: TransportOptions) {
    const ca = options.caPem !== undefined ? [...rootCertificates, options.caPem] : undefined;
    this.httpsAgent = new https.Agent({ keepAlive: true, ...(ca && { ca }) });
  }

  /** A DockerJsonClient for oci-registry-client whose requests go through this transport. */
  clientFor(baseUrl: string, userAgent: string): DockerJsonClient {
    return new TransportClient(this, baseUrl, userAgent);
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  /** Sends a request (following redirects when asked) and returns the answer with a guarded body. */
  async send(url: URL, init: SendInit): Promise<{ res: IncomingMessage; body: GuardedBody; url: URL }> {
    const scope = scopes.getStore() ?? {};
    const signal = combineSignals(this.options.signal, scope.signal);
    let current = url;
    let headers = init.headers;
    for (let hop = 0; ; hop++) {
      const res = await this.sendWithRetries(current, { ...init, headers }, signal);
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (init.redirect === 'follow' && [301, 302, 303, 307, 308].includes(status) && location !== undefined) {
        res.resume();
        if (hop >= MAX_REDIRECTS) throw new BuilderError('REGISTRY_ERROR', `${url.href}: more than ${MAX_REDIRECTS} redirects`);
        const next = new URL(location, current);
        // Credentials are for the registry, never for wherever it redirects to.
        if (next.origin !== current.origin) headers = withoutAuthorization(headers);
        current = next;
        continue;
      }
      return { res, body: this.guardBody(res, init.method, `${init.method} ${current.href}`, scope, signal), url: current };
    }
  }

  private guardBody(res: IncomingMessage, method: string, label: string, scope: OperationScope, signal: AbortSignal | undefined): GuardedBody {
    const ok = (res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300;
    const maxBytes = ok ? (scope.maxBodyBytes ?? SMALL_BODY_LIMIT) : ERROR_BODY_LIMIT;
    const tooLarge =
      ok && scope.tooLarge ? scope.tooLarge : (limit: number) => new BuilderError('REGISTRY_ERROR', `${label}: response body over ${limit} bytes`);
    const body = new GuardedBody(res, {
      idleTimeoutMs: this.options.timeoutMs,
      maxBytes,
      tooLarge,
      signal,
      label,
      // An error answer's body only garnishes the HTTP error; its status decides the code.
      ...(ok && { onFailure: (err: BuilderError) => (scope.failure ??= err) }),
    });
    // A HEAD answer's Content-Length is the size of what a GET would send, not a body.
    const declared = method === 'HEAD' ? NaN : Number(res.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      const err = tooLarge(maxBytes);
      if (ok) scope.failure ??= err;
      body.destroy(err);
    }
    return body;
  }

  private async sendWithRetries(url: URL, init: SendInit, signal: AbortSignal | undefined): Promise<IncomingMessage> {
    for (let attempt = 0; ; attempt++) {
      const canRetry = attempt < this.options.retries && !isStreamBody(init.body);
      let res: IncomingMessage;
      try {
        res = await this.sendOnce(url, init, signal);
      } catch (err) {
        const failure = describeSendError(err, url);
        if (!canRetry || !isTransient(err)) throw failure;
        await this.pause(backoff(attempt, this.options), signal);
        continue;
      }
      const status = res.statusCode ?? 0;
      if (canRetry && (status >= 500 || status === 429)) {
        res.resume();
        const wait = Math.max(backoff(attempt, this.options), retryAfterMs(res.headers['retry-after']) ?? 0);
        await this.pause(wait, signal);
        continue;
      }
      return res;
    }
  }

  private async pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
    try {
      await sleep(Math.min(ms, this.options.maxRetryDelayMs), undefined, signal ? { signal } : {});
    } catch {
      throw new BuilderError('CANCELLED', 'cancelled while waiting to retry');
    }
  }

  private sendOnce(url: URL, init: SendInit, signal: AbortSignal | undefined): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(new BuilderError('CANCELLED', `${init.method} ${url.href}: cancelled`));
        return;
      }
      const secure = url.protocol === 'https:';
      const req = (secure ? https : http).request(url, {
        method: init.method,
        headers: init.headers,
        agent: secure ? this.httpsAgent : this.httpAgent,
      });
      const ms = this.options.timeoutMs;
      let timer: NodeJS.Timeout | undefined;
      // The limit covers connect + headers; while a streamed body is being sent it
      // covers each wait for the body to make progress, and the headers after it.
      const arm = (what: string): void => {
        clearTimeout(timer);
        timer = setTimeout(() => req.destroy(new BuilderError('TIMEOUT', `${init.method} ${url.href}: ${what} within ${ms} ms`)), ms);
      };
      arm('no response');
      const onAbort = (): void => {
        req.destroy(new BuilderError('CANCELLED', `${init.method} ${url.href}: cancelled`));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      let settled = false;
      const settle = (): void => {
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      req.on('response', (res) => {
        settle();
        resolve(res);
      });
      let sourceError: BuilderError | undefined;
      req.on('error', (err) => {
        settle();
        reject(sourceError ?? err);
      });
      if (!isStreamBody(init.body)) {
        req.end(init.body);
        return;
      }
      const source = init.body.open();
      source.on('data', () => {
        if (!settled) arm('the upload made no progress');
      });
      req.on('finish', () => {
        if (!settled) arm('no response after the upload');
      });
      // A failing source (a digest check, a read error) aborts the request with its
      // own error: the registry never sees a complete body.
      source.on('error', (err) => {
        sourceError = asBuilderError(err);
        req.destroy(sourceError);
      });
      source.pipe(req);
      // A request that failed (timeout, cancel, refused) leaves the source unread: release it (an open file).
      req.on('close', () => source.destroy());
    });
  }
}

// The library's .d.ts cannot see node-fetch's types (no @types/node-fetch), so its Response constructor is typed here.
const ResponseClass = DockerResponse as unknown as new (
  body: Readable | null,
  init: { url: string; status: number; statusText: string; headers: [string, string][] },
) => DockerResponse;

/** The library's DockerJsonClient with its request() sent through HttpTransport. */
class TransportClient extends DockerJsonClient {
  constructor(
    private readonly transport: HttpTransport,
    baseUrl: string,
    userAgent: string,
  ) {
    super({ url: baseUrl, userAgent });
  }

  override async request(opts: Parameters<DockerJsonClient['request']>[0]): Promise<DockerResponse> {
    const headers: OutgoingHttpHeaders = {};
    (opts.headers as { forEach?: (cb: (value: string, name: string) => void) => void } | undefined)?.forEach?.((value, name) => {
      headers[name] = value;
    });
    if (headers.accept === undefined && this.accept) headers.accept = this.accept;
    headers['user-agent'] = this.userAgent;
    const body = opts.body as RequestBody | undefined;
    if (body !== undefined && typeof body !== 'string' && !Buffer.isBuffer(body) && !isStreamBody(body)) {
      throw new BuilderError('INTERNAL', 'the registry transport sends string, Buffer or StreamBody bodies');
    }
    const { res, body: stream, url } = await this.transport.send(new URL(opts.path, this.url), {
      method: opts.method,
      headers,
      ...(body !== undefined && { body }),
      redirect: opts.redirect === 'follow' ? 'follow' : 'manual',
    });
    const pairs: [string, string][] = [];
    for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) pairs.push([res.rawHeaders[i] ?? '', res.rawHeaders[i + 1] ?? '']);
    const status = res.statusCode ?? 0;
    const resp = new ResponseClass(status === 204 || opts.method === 'HEAD' ? null : stream, {
      url: url.href,
      status,
      statusText: res.statusMessage ?? '',
      headers: pairs,
    });
    if (opts.method === 'HEAD' || status === 204) stream.destroy();
    const expected = opts.expectStatus ?? [200];
    if (!expected.includes(status)) {
      throw await resp.dockerThrowable(status, `Unexpected HTTP ${status} from ${opts.method} ${url.href}`);
    }
    return resp;
  }
}

function withoutAuthorization(headers: OutgoingHttpHeaders): OutgoingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'authorization'));
}

function combineSignals(a: AbortSignal | undefined, b: AbortSignal | undefined): AbortSignal | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return AbortSignal.any([a, b]);
}

function isTransient(err: unknown): boolean {
  if (err instanceof BuilderError) return err.code === 'TIMEOUT';
  return TRANSIENT_ERRNO.has((err as NodeJS.ErrnoException).code ?? '');
}

function describeSendError(err: unknown, url: URL): BuilderError {
  if (err instanceof BuilderError) return err;
  const errno = (err as NodeJS.ErrnoException).code ?? '';
  const message = err instanceof Error ? err.message : String(err);
  const hint = errno === 'EPROTO' || /wrong version number|packet length too long/.test(message) ? ' (a plain-http registry? use --insecure)' : '';
  return new BuilderError('REGISTRY_ERROR', `cannot talk to ${url.origin}: ${message.replace(/\s+/g, ' ').trim()}${hint}`, { cause: err });
}

function backoff(attempt: number, options: TransportOptions): number {
  const base = options.retryDelayMs * 2 ** attempt;
  return base / 2 + Math.random() * (base / 2);
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date. */
function retryAfterMs(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
