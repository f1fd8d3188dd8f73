// Auth against real registries: htpasswd basic auth, and token auth with a
// token server of our own that the registry trusts through its rootcertbundle.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveImage } from '../agent/oci/resolve.js';
import { pushImage, type PushedImage } from '../testkit/fixtures/index.js';
import { startRegistry, TEST_USER, type TestRegistry } from '../testkit/registry/index.js';
import { pullAll, sameBlobs } from './oci/helpers.js';
import { startTokenServer, type TokenServer } from './oci/token-server.js';

const SPEC = { layers: [{ entries: [{ type: 'file' as const, path: 'auth.txt', content: 'only for the authorized\n' }] }], config: { Cmd: ['/auth'] } };
const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const FAST = { insecure: true, retries: 0, timeoutMs: 5000 };

let tempDir: string;
beforeAll(() => {
  tempDir = mkdtempSync(join(tmpdir(), 'oci-auth-'));
});
afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

function dockerConfig(name: string, auths: Record<string, Record<string, string>>): string {
  const path = join(tempDir, `${name}.json`);
  writeFileSync(path, JSON.stringify({ auths }));
  return path;
}

describe('basic auth (htpasswd)', () => {
  let registry: TestRegistry;
  let image: PushedImage;
  beforeAll(async () => {
    registry = await startRegistry({ basicAuth: true });
    image = await pushImage(registry.address, 'auth/basic', SPEC, { authorization: basic(TEST_USER.username, TEST_USER.password) });
  });
  afterAll(() => registry.stop());

  it('pulls with username/password from the options', async () => {
    const options = { ...FAST, ...TEST_USER };
    const resolved = await resolveImage(image.reference, options);
    expect(resolved.manifestDigest).toBe(image.manifest.digest);
    expect(resolved.config.config?.Cmd).toEqual(['/auth']);
    expect(sameBlobs(await pullAll(resolved, options), image.layers.map((layer) => layer.bytes))).toBe(true);
  });

  it('pulls with the auth entry of a docker config.json (base64 user:password, URL-style key)', async () => {
    const authFile = dockerConfig('basic', {
      'other.example:5000': { auth: Buffer.from('nobody:nothing').toString('base64') },
      [`http://${registry.address}/v1/`]: { auth: Buffer.from(`${TEST_USER.username}:${TEST_USER.password}`).toString('base64') },
    });
    const resolved = await resolveImage(image.reference, { ...FAST, authFile });
    expect(resolved.manifestDigest).toBe(image.manifest.digest);
  });

  it('fails with UNAUTHORIZED without credentials or with a wrong password', async () => {
    await expect(resolveImage(image.reference, FAST)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(resolveImage(image.reference, { ...FAST, username: TEST_USER.username, password: 'wrong' })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});

describe('token auth (docker-registry auth.token + a test token server)', () => {
  let tokens: TokenServer;
  let registry: TestRegistry;
  let image: PushedImage;
  const repository = 'auth/token';
  beforeAll(async () => {
    tokens = await startTokenServer({ users: { alice: 'alice-secret' }, refreshTokens: { 'refresh-for-alice': 'alice' } });
    registry = await startRegistry({
      tokenAuth: { realm: tokens.realm, service: tokens.service, issuer: tokens.issuer, rootCertBundlePem: tokens.certPem },
    });
    image = await pushImage(registry.address, repository, SPEC, { authorization: `Bearer ${tokens.issue(repository, ['pull', 'push'])}` });
  });
  afterAll(async () => {
    await registry.stop();
    await tokens.close();
  });

  it('follows the WWW-Authenticate challenge: basic credentials to the realm, bearer token to the registry', async () => {
    const before = tokens.requests.length;
    const options = { ...FAST, username: 'alice', password: 'alice-secret' };
    const resolved = await resolveImage(image.reference, options);
    expect(resolved.manifestDigest).toBe(image.manifest.digest);
    expect(sameBlobs(await pullAll(resolved, options), image.layers.map((layer) => layer.bytes))).toBe(true);
    const issued = tokens.requests.slice(before);
    expect(issued.length).toBeGreaterThanOrEqual(2); // one login for resolve, one for the pull
    expect(issued.every((r) => r.status === 200 && r.account === 'alice' && r.grant === 'basic')).toBe(true);
    expect(issued[0]?.scopes).toEqual([`repository:${repository}:pull`]);
  });

  it('uses an identitytoken from config.json as an OAuth2 refresh token (POST to the realm)', async () => {
    const authFile = dockerConfig('token', { [registry.address]: { identitytoken: 'refresh-for-alice' } });
    const before = tokens.requests.length;
    const resolved = await resolveImage(image.reference, { ...FAST, authFile });
    expect(resolved.configDigest).toBe(image.config.digest);
    expect(tokens.requests.slice(before).map((r) => [r.method, r.grant, r.account, r.status])).toEqual([['POST', 'refresh_token', 'alice', 200]]);
  });

  it('uses a given bearer token as is, without asking the token server', async () => {
    const before = tokens.requests.length;
    const resolved = await resolveImage(image.reference, { ...FAST, bearerToken: tokens.issue(repository, ['pull']) });
    expect(resolved.manifestDigest).toBe(image.manifest.digest);
    expect(tokens.requests.length).toBe(before);
  });

  it('logs in again once when the registry rejects an expired token', async () => {
    tokens.expireNext(1);
    const before = tokens.requests.length;
    const resolved = await resolveImage(image.reference, { ...FAST, username: 'alice', password: 'alice-secret' });
    expect(resolved.manifestDigest).toBe(image.manifest.digest);
    expect(tokens.requests.length - before).toBe(2);
  });

  it('fails with UNAUTHORIZED for wrong credentials, anonymous pulls and a bad identity token', async () => {
    await expect(resolveImage(image.reference, { ...FAST, username: 'alice', password: 'nope' })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(resolveImage(image.reference, FAST)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(resolveImage(image.reference, { ...FAST, identityToken: 'stolen' })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    // A bearer token the registry cannot verify is refused too.
    await expect(resolveImage(image.reference, { ...FAST, bearerToken: 'not.a.jwt' })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});
