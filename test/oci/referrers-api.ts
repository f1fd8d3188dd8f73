// The referrers API (distribution-spec 1.1) in front of a real docker-registry.
// No registry Debian packages has it (docker-registry 2.8 answers 404), so this
// proxy stands in for that one capability, as the spec describes it: a
// manifest PUT with a `subject` is forwarded and, once the registry stored it,
// answered with `OCI-Subject`; GET /v2/<name>/referrers/<digest> lists what was
// recorded, with the artifactType filter (and OCI-Filters-Applied) and Link
// pagination. Everything else goes to the real registry untouched.
import { createHash } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ReferrersApiOptions {
  /** `host:port` of the real registry. */
  upstream: string;
  /** Descriptors per answer; more are reached through `Link: <...>; rel="next"`. Default: all in one. */
  pageSize?: number;
  /** Whether the artifactType filter is applied (a registry MAY ignore it). Default true. */
  filter?: boolean;
}

export interface ReferrersApi {
  address: string;
  /** Requests to the referrers endpoint, as paths. */
  listings: string[];
  close(): Promise<void>;
}

interface Referrer {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
}

const REFERRERS = /^\/v2\/(.+)\/referrers\/(sha256:[a-f0-9]{64})$/;
const MANIFEST = /^\/v2\/(.+)\/manifests\/[^/]+$/;

export async function startReferrersApi(options: ReferrersApiOptions): Promise<ReferrersApi> {
  const recorded = new Map<string, Referrer[]>(); // `${name}@${subject}` -> referrers
  const listings: string[] = [];
  const sockets = new Set<Socket>();

  const list = (req: IncomingMessage, res: ServerResponse, name: string, subject: string, url: URL): void => {
    listings.push(req.url ?? '');
    const wanted = url.searchParams.get('artifactType');
    const filtering = wanted !== null && options.filter !== false;
    const all = (recorded.get(`${name}@${subject}`) ?? []).filter((referrer) => !filtering || referrer.artifactType === wanted);
    const size = options.pageSize ?? (all.length || 1);
    const page = Number(url.searchParams.get('page') ?? '0');
    const headers: Record<string, string> = { 'content-type': 'application/vnd.oci.image.index.v1+json' };
    if (filtering) headers['oci-filters-applied'] = 'artifactType';
    if ((page + 1) * size < all.length) {
      const next = new URLSearchParams(url.searchParams);
      next.set('page', String(page + 1));
      headers.link = `</v2/${name}/referrers/${subject}?${next.toString()}>; rel="next"`;
    }
    res.writeHead(200, headers);
    res.end(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: all.slice(page * size, (page + 1) * size) }));
  };

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://proxy');
    const referrers = REFERRERS.exec(url.pathname);
    if (req.method === 'GET' && referrers) return list(req, res, referrers[1]!, referrers[2]!, url);
    const manifest = req.method === 'PUT' ? MANIFEST.exec(url.pathname) : null;
    if (!manifest) return forward(options.upstream, req, res);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      forward(options.upstream, req, res, body, (status): Record<string, string> => {
        if (status !== 201) return {};
        const parsed = JSON.parse(body.toString('utf8')) as { subject?: { digest: string }; artifactType?: string; config?: { mediaType: string }; annotations?: Record<string, string> };
        if (parsed.subject === undefined) return {};
        const key = `${manifest[1]!}@${parsed.subject.digest}`;
        const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
        const entries = recorded.get(key) ?? [];
        if (!entries.some((entry) => entry.digest === digest)) {
          entries.push({
            mediaType: String(req.headers['content-type']),
            digest,
            size: body.length,
            ...((parsed.artifactType ?? parsed.config?.mediaType) !== undefined && { artifactType: parsed.artifactType ?? parsed.config?.mediaType }),
            ...(parsed.annotations !== undefined && { annotations: parsed.annotations }),
          });
        }
        recorded.set(key, entries);
        return { 'oci-subject': parsed.subject.digest };
      });
    });
  };

  const server = http.createServer(handler);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    listings,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Forwards to the registry; a buffered `body` is sent instead of the request stream, and `extraHeaders` may add answer headers. */
function forward(upstream: string, req: IncomingMessage, res: ServerResponse, body?: Buffer, extraHeaders?: (status: number) => Record<string, string>): void {
  const [host, port] = upstream.split(':');
  const out = http.request({ host, port: Number(port), method: req.method, path: req.url, headers: { ...req.headers, host: upstream } }, (up) => {
    const headers = { ...up.headers, ...extraHeaders?.(up.statusCode ?? 0) };
    // Locations point at the registry; keep the client talking to the proxy.
    if (typeof headers.location === 'string') headers.location = headers.location.replace(`http://${upstream}`, '');
    res.writeHead(up.statusCode ?? 502, headers);
    up.pipe(res);
  });
  out.on('error', () => res.destroy());
  if (body !== undefined) out.end(body);
  else req.pipe(out);
}
