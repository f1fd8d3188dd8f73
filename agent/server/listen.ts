import { chmod, lstat, mkdtemp, rm, unlink } from 'node:fs/promises';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../../core/progress.js';
import { BuilderError } from '../../proto/errors.js';
import { SocatSupervisor } from './socat-supervisor.js';

/** The vsock listener's private socket directory in the temp dir: VSOCK_DIR_PREFIX + pid + '-' + random. */
export const VSOCK_DIR_PREFIX = 'builder-agent-vsock-';

export type ListenAddress = { kind: 'unix'; path: string } | { kind: 'vsock'; port: number };

/** Parses `unix:PATH` or `vsock:PORT`. */
export function parseListenAddress(text: string): ListenAddress {
  if (text.startsWith('unix:') && text.length > 'unix:'.length) return { kind: 'unix', path: text.slice('unix:'.length) };
  const vsock = /^vsock:(\d{1,10})$/.exec(text);
  if (vsock !== null) {
    const port = Number(vsock[1]);
    // 0xFFFFFFFF is VMADDR_PORT_ANY.
    if (port >= 1 && port < 0xffffffff) return { kind: 'vsock', port };
  }
  throw new BuilderError('INVALID_ARGUMENT', `listen address '${text}' is not unix:PATH or vsock:PORT (1..4294967294)`);
}

export function formatListenAddress(address: ListenAddress): string {
  return address.kind === 'unix' ? `unix:${address.path}` : `vsock:${address.port}`;
}

export interface Listener {
  /** Stops accepting connections (open ones are the caller's) and removes what listening created. */
  close(): Promise<void>;
  /** Waits until every accepted connection has closed. */
  drained(): Promise<void>;
}

export interface ListenOptions {
  log: Logger;
  /** Permissions of a unix:PATH socket file; 0600 by default. */
  socketMode?: number;
  socatPath?: string;
}

/** Listens on `address` and hands every accepted stream to `onConnection`. */
export async function listen(address: ListenAddress, onConnection: (socket: Socket) => void, options: ListenOptions): Promise<Listener> {
  if (address.kind === 'unix') {
    const server = await listenUnix(address.path, onConnection, options.socketMode ?? 0o600);
    const closed = new Promise<void>((resolve) => server.once('close', () => resolve()));
    return {
      // libuv removes the socket file when the server handle closes.
      close: () => {
        server.close();
        return Promise.resolve();
      },
      drained: () => closed,
    };
  }
  const dir = await mkdtemp(join(tmpdir(), `${VSOCK_DIR_PREFIX}${process.pid}-`));
  const unixPath = join(dir, 'agent.sock');
  let server: Server | undefined;
  let socat: SocatSupervisor | undefined;
  try {
    server = await listenUnix(unixPath, onConnection, 0o600);
    socat = new SocatSupervisor({ port: address.port, unixPath, log: options.log, ...(options.socatPath ? { socatPath: options.socatPath } : {}) });
    await socat.start();
  } catch (err) {
    server?.close();
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  const unixServer = server;
  const supervisor = socat;
  const closed = new Promise<void>((resolve) => unixServer.once('close', () => resolve()));
  return {
    close: async () => {
      await supervisor.stop();
      unixServer.close();
      await rm(dir, { recursive: true, force: true });
    },
    drained: () => closed,
  };
}

/**
 * A Unix stream socket at `path` with `mode` permissions from the start (the umask is
 * narrowed around bind, so there is no moment of wider access). A socket file left by a
 * dead agent is removed; a live one, or anything that is not a socket, is refused.
 */
export async function listenUnix(path: string, onConnection: (socket: Socket) => void, mode: number): Promise<Server> {
  await removeStaleSocket(path);
  // allowHalfOpen: the session decides when to end its side (e.g. after reporting TRUNCATED).
  const server = createServer({ allowHalfOpen: true }, onConnection);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    const previousUmask = process.umask(0o777 & ~mode);
    try {
      server.listen(path, () => {
        server.off('error', reject);
        resolve();
      });
    } finally {
      process.umask(previousUmask);
    }
  });
  await chmod(path, mode);
  return server;
}

async function removeStaleSocket(path: string): Promise<void> {
  const stats = await lstat(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (stats === undefined) return;
  if (!stats.isSocket()) throw new BuilderError('INVALID_ARGUMENT', `${path} exists and is not a socket; not removing it`);
  if (await isServing(path)) throw new BuilderError('INVALID_ARGUMENT', `another process is already serving on ${path}`);
  await unlink(path);
}

function isServing(path: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const probe = createConnection(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNREFUSED') resolve(false);
      else reject(new BuilderError('INVALID_ARGUMENT', `cannot check the existing socket ${path}: ${err.message}`));
    });
  });
}
