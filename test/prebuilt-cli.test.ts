// builder-host push through the built bin (dist/host/cli.js), against the real
// registry: the entry a reference names (tag or digest) goes out as an artifact,
// with its verity root hash when asked; what is not in the store is NOT_FOUND.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { referrersTag } from '../agent/oci/referrers.js';
import { DISK_ARTIFACT_TYPE } from '../agent/prebuilt/artifact.js';
import { pushImage, type PushedImage } from '../testkit/fixtures/index.js';
import { builtHostFile } from './helpers/host-dist.js';
import { APP_SPEC } from './helpers/orchestrate.js';

const registry = inject('registryAddress');
let cli: string;
let work: string;

beforeAll(async () => {
  cli = builtHostFile('cli.js');
  work = await mkdtemp(join(tmpdir(), 'prebuilt-cli-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

function builderHost(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (data: string) => (stdout += data));
    child.stderr.setEncoding('utf8').on('data', (data: string) => (stderr += data));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function referrersIndex(repository: string, subject: string): Promise<{ manifests: { digest: string; artifactType: string; annotations: Record<string, string> }[] }> {
  const res = await fetch(`http://${registry}/v2/${repository}/manifests/${referrersTag(subject)}`, { headers: { accept: 'application/vnd.oci.image.index.v1+json' } });
  expect(res.status).toBe(200);
  return (await res.json()) as { manifests: { digest: string; artifactType: string; annotations: Record<string, string> }[] };
}

describe('builder-host push', () => {
  let image: PushedImage;
  let store: string;
  beforeAll(async () => {
    image = await pushImage(registry, 'prebuilt/cli-push', APP_SPEC, { tag: 'v1' });
    store = join(work, 'store-push');
    const converted = await builderHost('convert-local', image.reference, '--store', store, '--insecure', '--json');
    expect(converted.code, converted.stderr).toBe(0);
  });

  it('pushes the entry a tag names, with the verity root hash in the annotations', async () => {
    const run = await builderHost('push', image.reference, '--store', store, '--insecure', '--verity', '--json');
    expect(run.code, run.stderr).toBe(0);
    const { image: entry, pushed } = JSON.parse(run.stdout) as {
      image: { manifestDigest: string; verity: { rootHash: string } };
      pushed: { artifactDigest: string; listedBy: string; diskUploaded: boolean };
    };
    expect(entry.manifestDigest).toBe(image.manifest.digest);
    expect(pushed).toMatchObject({ listedBy: 'tag-schema', diskUploaded: true });
    const index = await referrersIndex('prebuilt/cli-push', image.manifest.digest);
    expect(index.manifests).toEqual([
      expect.objectContaining({ digest: pushed.artifactDigest, artifactType: DISK_ARTIFACT_TYPE }) as unknown,
    ]);
    expect(index.manifests[0]!.annotations['dev.erofs-builder.verity.root-hash']).toBe(entry.verity.rootHash);
  });

  it('pushes by digest too, and says so in a line; the second push uploads nothing', async () => {
    const run = await builderHost('push', image.digestReference, '--store', store, '--insecure');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/pushed as .*@sha256:[0-9a-f]{64}; disk already in the registry; listed by the referrers tag sha256-/);
  });

  it('an image that is not in the store is NOT_FOUND (exit 1), nothing is pushed', async () => {
    const other = await pushImage(registry, 'prebuilt/cli-missing', APP_SPEC, { tag: 'v1' });
    const run = await builderHost('push', other.reference, '--store', store, '--insecure', '--json');
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ error: { code: 'NOT_FOUND' } });
    const res = await fetch(`http://${registry}/v2/prebuilt/cli-missing/manifests/${referrersTag(other.manifest.digest)}`);
    expect(res.status).toBe(404);
  });
});
