import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { pushImage } from '../testkit/fixtures/index.js';
import { startRegistry, TEST_USER, type TestRegistry } from '../testkit/registry/index.js';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw err;
  }
}

/** Running and not a zombie (a killed registry is reaped by whoever inherits it). */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

const started: TestRegistry[] = [];
afterAll(async () => {
  for (const registry of started) await registry.stop();
});
async function ownRegistry(...args: Parameters<typeof startRegistry>): Promise<TestRegistry> {
  const registry = await startRegistry(...args);
  started.push(registry);
  return registry;
}

const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('test registry', () => {
  it('the shared registry from the global setup answers the v2 API', async () => {
    const address = inject('registryAddress');
    expect(address).toMatch(/^127\.0\.0\.1:\d+$/);
    const res = await fetch(`http://${address}/v2/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('docker-distribution-api-version')).toBe('registry/2.0');
  });

  it('starts a second registry on another port and stops it by pid, leaving nothing behind', async () => {
    const registry = await startRegistry();
    expect(registry.address).not.toBe(inject('registryAddress'));
    expect(registry.url).toBe(`http://${registry.address}`);
    expect(isAlive(registry.pid)).toBe(true);
    expect(readFileSync(`/proc/${registry.pid}/cmdline`, 'utf8')).toContain('docker-registry');
    expect((await fetch(`${registry.url}/v2/`)).status).toBe(200);

    await registry.stop();
    expect(isAlive(registry.pid)).toBe(false);
    expect(existsSync(registry.storageDir)).toBe(false);
    await expect(fetch(`${registry.url}/v2/`)).rejects.toThrow();
    await registry.stop(); // idempotent
  });

  it('keeps pushed blobs in its own storage dir, with delete enabled', async () => {
    const registry = await ownRegistry();
    const image = await pushImage(registry.address, 'storage/check', { layers: [{ entries: [{ type: 'file', path: 'a', content: 'a' }] }] });
    const hex = image.layers[0]?.digest.slice('sha256:'.length) ?? '';
    expect(existsSync(join(registry.storageDir, 'docker/registry/v2/blobs/sha256', hex.slice(0, 2), hex, 'data'))).toBe(true);
    const del = await fetch(`${registry.url}/v2/storage/check/manifests/${image.manifest.digest}`, { method: 'DELETE' });
    expect(del.status).toBe(202);
  });

  it('with basic auth, refuses anonymous and wrong-password requests and accepts TEST_USER', async () => {
    const registry = await ownRegistry({ basicAuth: true });
    const anonymous = await fetch(`${registry.url}/v2/`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    expect((await fetch(`${registry.url}/v2/`, { headers: { Authorization: basic(TEST_USER.username, 'wrong') } })).status).toBe(401);
    expect((await fetch(`${registry.url}/v2/`, { headers: { Authorization: basic(TEST_USER.username, TEST_USER.password) } })).status).toBe(200);

    const spec = { layers: [{ entries: [{ type: 'file' as const, path: 'x', content: 'x' }] }] };
    await expect(pushImage(registry.address, 'auth/basic', spec)).rejects.toThrow(/HTTP 401/);
    const pushed = await pushImage(registry.address, 'auth/basic', spec, { authorization: basic(TEST_USER.username, TEST_USER.password) });
    expect(pushed.reference).toBe(`${registry.address}/auth/basic:latest`);
  });

  it('with token auth, sends clients to the configured realm and service', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'token-cert-'));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=test-token-issuer', '-days', '1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
      const realm = 'http://127.0.0.1:1/token';
      const registry = await ownRegistry({ tokenAuth: { realm, service: 'test-registry', issuer: 'test-issuer', rootCertBundlePem: readFileSync(join(dir, 'cert.pem'), 'utf8') } });
      const res = await fetch(`${registry.url}/v2/`);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe(`Bearer realm="${realm}",service="test-registry"`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails with the registry stderr when it cannot start', async () => {
    const error = await startRegistry({ tokenAuth: { realm: 'http://127.0.0.1:1/token', service: 's', issuer: 'i', rootCertBundlePem: 'not a certificate' } }).catch((err: unknown) => err as Error);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/docker-registry exited before serving/);
    expect((error as Error).message).toMatch(/certificate|rootcertbundle|token/i);
  });
});

describe('a test run that dies leaves no registry behind', () => {
  const START = resolve('dist-dev/testkit/registry/start.js');

  /** Starts a registry in a child node process, ends that process `how`, returns the registry's pid once it is gone (or not). */
  async function registryAfterDeath(how: 'uncaught exception' | 'SIGTERM' | 'SIGKILL'): Promise<{ pid: number; running: boolean }> {
    const script = `import { startRegistry } from ${JSON.stringify(START)};
      const r = await startRegistry();
      console.log(JSON.stringify({ pid: r.pid, storageDir: r.storageDir }));
      if (${JSON.stringify(how)} === 'uncaught exception') setTimeout(() => { throw new Error('a failing test'); }, 50);
      else setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
    const exited = new Promise((done) => child.once('exit', done));
    const [line] = await createInterface({ input: child.stdout })[Symbol.asyncIterator]().next().then((r) => [r.value as string]);
    const { pid, storageDir } = JSON.parse(line ?? '{}') as { pid: number; storageDir: string };
    try {
      expect(isRunning(pid)).toBe(true);
      if (how !== 'uncaught exception') child.kill(how);
      await exited;
      for (let i = 0; i < 100 && isRunning(pid); i++) await new Promise((r) => setTimeout(r, 50));
      return { pid, running: isRunning(pid) };
    } finally {
      if (isRunning(pid)) process.kill(pid, 'SIGKILL');
      rmSync(dirname(storageDir), { recursive: true, force: true });
    }
  }

  it.each(['uncaught exception', 'SIGTERM', 'SIGKILL'] as const)('when the test process ends by %s', async (how) => {
    expect(existsSync(START), `${START} missing: run npm run build first`).toBe(true);
    expect((await registryAfterDeath(how)).running).toBe(false);
  });
});
