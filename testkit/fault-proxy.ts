// A small HTTP(S) proxy in front of a real docker-registry that injects the
// faults a healthy registry never produces: 5xx/429 answers, stalls before
// the headers or inside a body, connections cut mid-body, a missing
// Content-Type, bodies over the manifest limit. Tests use it only for those
// faults and say so; everything else goes to the real registry.
import { once } from 'node:events';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

export type Fault =
  /** Answer with this status (and body) instead of forwarding. */
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string }
  /** Accept the request and never answer. */
  | { kind: 'stall-headers' }
  /** Forward the headers and the first `afterBytes` body bytes, then go silent (`stall`) or close the connection (`cut`). */
  | { kind: 'stall-body' | 'cut-body'; afterBytes: number }
  /**
   * Forward only the first `afterBytes` body bytes and end the response cleanly, as a
   * proxy or registry serving a truncated blob does: with a Content-Length of
   * `afterBytes`, or (`chunked`) without one, ending the chunked body early.
   */
  | { kind: 'short-body'; afterBytes: number; chunked?: boolean }
  /** Forward, but drop these response headers. */
  | { kind: 'drop-headers'; names: string[] }
  /** Answer 200 with this body and headers instead of forwarding (e.g. a manifest no registry would serve). */
  | { kind: 'serve'; headers: Record<string, string>; body: Buffer; chunked?: boolean };

export interface ProxiedRequest {
  method: string;
  path: string;
  at: number;
  /** Body bytes sent to the client so far. */
  bytesSent: number;
  /** Settles when the response to the client is closed (finished or cut). */
  closed: Promise<void>;
}

export interface FaultProxy {
  /** `127.0.0.1:PORT` */
  address: string;
  requests: ProxiedRequest[];
  close(): Promise<void>;
}

export interface FaultProxyOptions {
  /** `host:port` of the real registry. */
  upstream: string;
  /** Decides per request; undefined forwards it untouched. */
  fault?: (req: IncomingMessage, log: ProxiedRequest) => Fault | undefined;
  /** Serve https with this key and certificate (PEM). */
  tls?: { key: string; cert: string };
  /** Pace forwarded bodies to about this rate, shared by all requests like one link (a registry further away than loopback). */
  bytesPerSecond?: number;
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const requests: ProxiedRequest[] = [];
  const link = options.bytesPerSecond !== undefined ? new Link(options.bytesPerSecond) : undefined;
  const sockets = new Set<Socket>();
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const log: ProxiedRequest = { method: req.method ?? 'GET', path: req.url ?? '/', at: Date.now(), bytesSent: 0, closed: once(res, 'close').then(() => undefined) };
    requests.push(log);
    const fault = options.fault?.(req, log);
    if (fault?.kind === 'stall-headers') return;
    if (fault?.kind === 'status') {
      res.writeHead(fault.status, fault.headers ?? {});
      res.end(fault.body ?? '');
      return;
    }
    if (fault?.kind === 'serve') {
      log.bytesSent = fault.body.length;
      if (fault.chunked) {
        // Two writes without a Content-Length: node sends Transfer-Encoding: chunked.
        res.writeHead(200, fault.headers);
        res.write(fault.body.subarray(0, 1024));
        res.end(fault.body.subarray(1024));
      } else {
        res.writeHead(200, { ...fault.headers, 'content-length': String(fault.body.length) });
        res.end(fault.body);
      }
      return;
    }
    forward(options.upstream, req, res, log, fault, link);
  };
  const server = options.tls ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, handler) : http.createServer(handler);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('secureConnection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    requests,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A serial link of fixed bandwidth: each chunk occupies it for length/rate after the previous one. */
class Link {
  private freeAt = 0;
  constructor(private readonly bytesPerSecond: number) {}
  /** Milliseconds until `bytes` sent now would have passed the link. */
  delayFor(bytes: number): number {
    const now = Date.now();
    this.freeAt = Math.max(this.freeAt, now) + (bytes / this.bytesPerSecond) * 1000;
    return this.freeAt - now;
  }
}

function forward(upstream: string, req: IncomingMessage, res: ServerResponse, log: ProxiedRequest, fault: Fault | undefined, link: Link | undefined): void {
  const [host, port] = upstream.split(':');
  const out = http.request({ host, port: Number(port), method: req.method, path: req.url, headers: { ...req.headers, host: upstream } }, (up) => {
    const headers = { ...up.headers };
    if (fault?.kind === 'drop-headers') for (const name of fault.names) delete headers[name.toLowerCase()];
    if (fault?.kind === 'short-body') {
      delete headers['content-length'];
      if (!fault.chunked) headers['content-length'] = String(Math.min(fault.afterBytes, Number(up.headers['content-length'] ?? Infinity)));
    }
    // Redirects point at the registry; keep the client talking to the proxy.
    if (typeof headers.location === 'string') headers.location = headers.location.replace(`http://${upstream}`, '');
    res.writeHead(up.statusCode ?? 502, headers);
    const limit = fault?.kind === 'stall-body' || fault?.kind === 'cut-body' || fault?.kind === 'short-body' ? fault.afterBytes : Infinity;
    // Paused for backpressure or for pacing; resumed only when neither holds.
    const held = { drain: false, pace: false };
    const release = (reason: keyof typeof held): void => {
      held[reason] = false;
      if (!held.drain && !held.pace) up.resume();
    };
    up.on('data', (chunk: Buffer) => {
      const room = limit - log.bytesSent;
      if (room <= 0) return;
      const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
      log.bytesSent += part.length;
      if (!res.write(part)) {
        held.drain = true;
        up.pause();
      }
      const ahead = link?.delayFor(part.length) ?? 0;
      if (ahead > 0) {
        held.pace = true;
        up.pause();
        setTimeout(() => release('pace'), ahead);
      }
      if (log.bytesSent >= limit) {
        up.destroy();
        if (fault?.kind === 'cut-body') res.socket?.destroy();
        if (fault?.kind === 'short-body') res.end();
        // stall-body: the response stays open and silent until the client gives up.
      }
    });
    res.on('drain', () => release('drain'));
    up.on('end', () => {
      if (log.bytesSent < limit) res.end();
    });
  });
  out.on('error', () => res.destroy());
  req.pipe(out);
}
