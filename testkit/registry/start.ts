// Starts a real docker-registry (distribution v2, Debian's package) on a free
// loopback port with its storage in a fresh temp dir.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { trackProcess, untrackProcess } from './cleanup.js';
import { renderRegistryConfig, type TokenAuthOptions } from './config.js';

export type { TokenAuthOptions } from './config.js';

/** The user every `basicAuth: true` registry accepts. */
export const TEST_USER = { username: 'fixture', password: 'fixture-password' } as const;
// bcrypt (cost 4) of TEST_USER.password; made with Python's crypt.crypt(METHOD_BLOWFISH).
// Node has no bcrypt and distribution's htpasswd accepts nothing else.
const TEST_USER_BCRYPT = '$2b$04$auhqTjn4ChSmDV8lWa.fkeeZW3ggcLuhcc1yLBrWpnM1GS5TNwqOO';

export interface RegistryOptions {
  /** Basic auth: `true` accepts TEST_USER; a string is the full htpasswd file (bcrypt lines). */
  basicAuth?: true | string;
  /** Bearer-token auth (realm/service/issuer/root certificate). */
  tokenAuth?: TokenAuthOptions;
  /** How long to wait for `GET /v2/` to answer. Default 15 s. */
  startTimeoutMs?: number;
}

export interface TestRegistry {
  /** `127.0.0.1:PORT`, the registry part of an image reference. */
  address: string;
  /** `http://127.0.0.1:PORT` */
  url: string;
  pid: number;
  /** Root of the filesystem storage driver (blobs live under docker/registry/v2/blobs). */
  storageDir: string;
  /** Kills the registry by pid, waits for it to exit and removes its temp dirs. Idempotent. */
  stop(): Promise<void>;
}

const START_ATTEMPTS = 3; // a free port can be taken by a parallel run between probe and bind

export async function startRegistry(options: RegistryOptions = {}): Promise<TestRegistry> {
  let lastError: Error | undefined;
  for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
    try {
      return await startOnce(options, await freePort());
    } catch (err) {
      lastError = err as Error;
      if (!/address already in use/.test(lastError.message)) throw lastError;
    }
  }
  throw lastError ?? new Error('startRegistry: no attempt made');
}

async function startOnce(options: RegistryOptions, port: number): Promise<TestRegistry> {
  const workDir = mkdtempSync(join(tmpdir(), 'test-registry-'));
  const storageDir = join(workDir, 'storage');
  const configPath = join(workDir, 'config.yml');
  let htpasswdPath: string | undefined;
  if (options.basicAuth !== undefined) {
    htpasswdPath = join(workDir, 'htpasswd');
    const content = options.basicAuth === true ? `${TEST_USER.username}:${TEST_USER_BCRYPT}\n` : options.basicAuth;
    writeFileSync(htpasswdPath, content);
  }
  let token: Parameters<typeof renderRegistryConfig>[0]['token'];
  if (options.tokenAuth !== undefined) {
    const { rootCertBundlePem, ...rest } = options.tokenAuth;
    const rootCertBundlePath = join(workDir, 'token-root.pem');
    writeFileSync(rootCertBundlePath, rootCertBundlePem);
    token = { ...rest, rootCertBundlePath };
  }
  writeFileSync(configPath, renderRegistryConfig({ port, storageDir, htpasswdPath, token }));

  const child = spawnRegistry(configPath);
  const pid = child.pid;
  if (pid === undefined) {
    rmSync(workDir, { recursive: true, force: true });
    throw new Error('startRegistry: could not spawn docker-registry (is the docker-registry package installed?)');
  }
  trackProcess(pid);
  // 'close' comes after the exit and after stderr is drained, so error messages are complete.
  let running = true;
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  void exited.then(() => (running = false));
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-8192);
  });

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    if (running) {
      process.kill(pid, 'SIGTERM');
      const killed = await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]);
      if (!killed) {
        process.kill(pid, 'SIGKILL');
        await exited;
      }
    }
    untrackProcess(pid);
    rmSync(workDir, { recursive: true, force: true });
  };

  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilServing(url, () => running, options.startTimeoutMs ?? 15_000, () => stderr);
  } catch (err) {
    await stop();
    throw err;
  }
  return { address: `127.0.0.1:${port}`, url, pid, storageDir, stop };
}

function spawnRegistry(configPath: string): ChildProcess {
  // REGISTRY_* variables override the config file; a developer's shell must not leak into tests.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('REGISTRY_')));
  // --pdeathsig: the kernel kills the registry if this process dies without running any handler.
  return spawn('setpriv', ['--pdeathsig', 'SIGKILL', '--', 'docker-registry', 'serve', configPath], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

async function waitUntilServing(url: string, running: () => boolean, timeoutMs: number, stderr: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!running()) throw new Error(`docker-registry exited before serving ${url}:\n${stderr()}`);
    try {
      // Any HTTP answer means it is serving: 200 without auth, 401 with auth.
      const res = await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.status === 200 || res.status === 401) return;
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  throw new Error(`docker-registry did not answer GET ${url}/v2/ within ${timeoutMs} ms:\n${stderr()}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('freePort: no port assigned'));
      });
    });
  });
}
