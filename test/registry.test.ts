import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { pushImage } from './fixtures/index.js';
import { startRegistry, TEST_USER, type TestRegistry } from './registry/index.js';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw err;
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
