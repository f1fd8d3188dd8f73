// `builder-agent inspect` as a process (the built dist/agent/cli.js; scripts/test.sh builds first).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { pushImage, pushIndex, type PushedIndex } from '../testkit/fixtures/index.js';
import { platformImage } from './oci/helpers.js';

const registry = inject('registryAddress');
const CLI = join(import.meta.dirname, '..', 'dist', 'agent', 'cli.js');

function agent(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, DOCKER_CONFIG: '/nonexistent' } });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('builder-agent inspect', () => {
  let index: PushedIndex;
  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
    index = await pushIndex(registry, 'cli/app', [
      { ...platformImage('linux', 'amd64'), config: { Entrypoint: ['/amd'], Env: ['A=1'] } },
      { ...platformImage('linux', 'arm64'), config: { Entrypoint: ['/arm'], WorkingDir: '/w', ExposedPorts: { '80/tcp': {} } } },
    ]);
  });

  it('--json prints digests, media types, platform, runtime config and layers', () => {
    const { status, stdout } = agent('inspect', index.reference, '--platform', 'linux/arm64', '--insecure', '--json');
    expect(status).toBe(0);
    const arm = index.images[1];
    expect(JSON.parse(stdout)).toEqual({
      reference: index.reference,
      manifestDigest: arm?.manifest.digest,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      indexDigest: index.index.digest,
      indexMediaType: 'application/vnd.oci.image.index.v1+json',
      platform: { os: 'linux', architecture: 'arm64' },
      configDigest: arm?.config.digest,
      config: { Entrypoint: ['/arm'], WorkingDir: '/w', ExposedPorts: { '80/tcp': {} } },
      layers: arm?.layers.map((layer) => ({ digest: layer.digest, mediaType: layer.mediaType, size: layer.size, diffId: layer.diffId })),
    });
  });

  it('prints a readable summary without --json', async () => {
    const image = await pushImage(registry, 'cli/plain', { format: 'docker', layers: [{ entries: [{ type: 'file', path: 'x', content: 'x' }] }] });
    const { status, stdout } = agent('inspect', image.reference, '--insecure');
    expect(status).toBe(0);
    expect(stdout).toContain(`manifestDigest  ${image.manifest.digest}`);
    expect(stdout).toContain('mediaType       application/vnd.docker.distribution.manifest.v2+json');
    expect(stdout).toContain(`0  ${image.layers[0]?.digest}  ${image.layers[0]?.mediaType}  ${image.layers[0]?.size} bytes`);
  });

  it.each([
    [['inspect', 'REF_PLACEHOLDER:nope', '--insecure', '--json'], 1, 'NOT_FOUND'],
    [['inspect', 'REF_PLACEHOLDER', '--platform', 'linux/s390x', '--insecure', '--json'], 1, 'PLATFORM_NOT_FOUND'],
    [['inspect', 'REF_PLACEHOLDER', '--json'], 1, 'REGISTRY_ERROR'],
    [['inspect', '--json'], 2, 'INVALID_ARGUMENT'],
    [['inspect', '--json', '--bogus', 'x'], 2, 'INVALID_ARGUMENT'],
    [['inspect', '--json', '--', '-rf'], 1, 'INVALID_REFERENCE'],
    [['inspect', '--json', 'app@sha256:1234'], 1, 'INVALID_REFERENCE'],
    [['inspect', '--json', 'REF_PLACEHOLDER', '--platform', 'linux'], 2, 'INVALID_ARGUMENT'],
  ])('%j exits %i with {"error":{"code":"%s"}}', (args, exitCode, code) => {
    const ref = `${registry}/cli/app`;
    const { status, stdout } = agent(...args.map((arg) => arg.replace('REF_PLACEHOLDER', ref)));
    expect(status).toBe(exitCode);
    const report = JSON.parse(stdout) as { error: { code: string; message: string } };
    expect(report.error.code).toBe(code);
    expect(report.error.message.length).toBeGreaterThan(0);
  });

  it('without --json a failure goes to stderr with its code', () => {
    const { status, stdout, stderr } = agent('inspect', `${registry}/cli/app:nope`, '--insecure');
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^builder-agent inspect: NOT_FOUND: .*manifest unknown.*\n$/);
  });
});
