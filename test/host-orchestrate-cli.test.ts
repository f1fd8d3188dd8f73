// builder-host convert / convert-local through the built bin (dist/host/cli.js):
// the JSON contract ({image, path, alreadyPresent, fallbackReason?} on success,
// {"error":{code,message}} and a non-zero exit on failure) and the short
// human summary.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { pushImage, type PushedImage } from '../testkit/fixtures/index.js';
import { AGENT_CLI, servedAgentFixture } from './helpers/agent-process.js';
import { sha256File } from './helpers/host-disks.js';
import { builtHostFile } from './helpers/host-dist.js';
import { APP_SPEC, expectAppTree } from './helpers/orchestrate.js';

const registry = inject('registryAddress');
const NOBODY_LISTENS = 'unix:/nonexistent/erofs-builder-agent.sock';
let cli: string;
let image: PushedImage;
let work: string;
let volume: string;

beforeAll(async () => {
  cli = builtHostFile('cli.js');
  image = await pushImage(registry, 'orchestrate/cli', APP_SPEC, { tag: 'v1' });
  work = await mkdtemp(join(tmpdir(), 'orchestrate-cli-'));
  volume = join(work, 'volume');
  await mkdir(volume);
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Runs the bin without blocking the event loop (the served agent lives in this process's children). */
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

interface ConvertJson {
  image: { name: string; manifestDigest: string; source: string; sha256: string; diskPath: string; fallbackReason?: { code: string } };
  path: string;
  alreadyPresent: boolean;
  fallbackReason?: { code: string; message: string };
  knownBy?: string;
}

describe('builder-host convert', () => {
  const served = servedAgentFixture(AGENT_CLI);

  it('prints the entry and path "agent" as JSON when the agent converts', async () => {
    const store = join(work, 'store-agent');
    const run = await builderHost('convert', image.reference, '--agent', `unix:${served().socket}`, '--volume', served().outputDir, '--store', store, '--insecure', '--json');
    expect(run, run.stderr).toMatchObject({ code: 0 });
    const output = JSON.parse(run.stdout) as ConvertJson;
    expect(output).toMatchObject({ path: 'agent', alreadyPresent: false, image: { name: image.reference, manifestDigest: image.manifest.digest, source: 'agent' } });
    expect(output.fallbackReason).toBeUndefined();
    expect(sha256File(output.image.diskPath)).toBe(output.image.sha256);
    await expectAppTree(output.image.diskPath);
  });

  it('falls back to the host when nothing listens, and says why (JSON and human)', async () => {
    const args = (store: string): string[] => ['convert', image.reference, '--agent', NOBODY_LISTENS, '--volume', volume, '--store', join(work, store), '--insecure', '--dial-attempts', '1'];
    const json = await builderHost(...args('store-fallback'), '--json');
    expect(json, json.stderr).toMatchObject({ code: 0 });
    const output = JSON.parse(json.stdout) as ConvertJson;
    expect(output).toMatchObject({ path: 'host', alreadyPresent: false, fallbackReason: { code: 'AGENT_UNAVAILABLE' }, image: { source: 'host', fallbackReason: { code: 'AGENT_UNAVAILABLE' } } });
    expect(json.stderr).toMatch(/builder-host: warn: fast path failed \(AGENT_UNAVAILABLE: cannot reach the agent/);
    await expectAppTree(output.image.diskPath);

    const human = await builderHost(...args('store-fallback-human'));
    expect(human, human.stderr).toMatchObject({ code: 0 });
    expect(human.stdout).toMatch(new RegExp(`^${image.reference} ${image.manifest.digest}: registered from the host path \\(.+, sha256:[0-9a-f]{64}\\)\\nfast path failed: AGENT_UNAVAILABLE: .+\\n/.+/rootfs\\.erofs\\n$`));
  });

  it("with --fallback none exits 1 with the fast path's code", async () => {
    const run = await builderHost('convert', image.reference, '--agent', NOBODY_LISTENS, '--volume', volume, '--store', join(work, 'store-none'), '--fallback', 'none', '--dial-attempts', '1', '--json');
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual({ error: { code: 'AGENT_UNAVAILABLE', message: expect.stringContaining('cannot reach the agent') as unknown } });
  });

  it('refuses an output name the agent would refuse (-x.erofs) with INVALID_ARGUMENT and exit 2: no agent asked, no fallback', async () => {
    const store = join(work, 'store-dash');
    const args = ['convert', image.reference, '--agent', `unix:${served().socket}`, '--volume', served().outputDir, '--store', store, '--insecure', '--json'];
    const asked = served().agent.lines.filter((line) => line.includes('converting')).length;
    for (const outputName of [['--output-name=-x.erofs'], ['--output-name', '-x.erofs'], ['--output-name=out/-x.erofs']]) {
      const run = await builderHost(...args, ...outputName);
      expect(run.code, run.stdout).toBe(2);
      expect(JSON.parse(run.stdout)).toMatchObject({ error: { code: 'INVALID_ARGUMENT' } });
      expect(run.stderr).not.toMatch(/fast path failed|converting on the host/);
    }
    expect(served().agent.lines.filter((line) => line.includes('converting')).length).toBe(asked);
    const images = await builderHost('images', '--store', store, '--json');
    expect(JSON.parse(images.stdout)).toEqual({ images: [] });
  });

  it('refuses bad usage (exit 2) and a bad reference (exit 1) before dialing', async () => {
    const usage = await builderHost('convert', image.reference, '--store', join(work, 'store-usage'), '--json');
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.stdout)).toMatchObject({ error: { code: 'INVALID_ARGUMENT', message: expect.stringContaining('--agent is required') as unknown } });
    const fallback = await builderHost('convert', image.reference, '--agent', NOBODY_LISTENS, '--volume', volume, '--store', join(work, 'store-usage'), '--fallback', 'maybe');
    expect(fallback.code).toBe(2);
    expect(fallback.stderr).toContain('--fallback must be one of host, none');
    const reference = await builderHost('convert', 'Not/A/Reference', '--agent', NOBODY_LISTENS, '--volume', volume, '--store', join(work, 'store-usage'), '--json');
    expect(reference.code).toBe(1);
    expect(JSON.parse(reference.stdout)).toMatchObject({ error: { code: 'INVALID_REFERENCE' } });
  });
});

describe('builder-host convert-local', () => {
  it('converts on the host (path "host", no reason), then finds the tag ready', async () => {
    const store = join(work, 'store-local');
    const first = await builderHost('convert-local', image.reference, '--store', store, '--insecure', '--json');
    expect(first, first.stderr).toMatchObject({ code: 0 });
    const output = JSON.parse(first.stdout) as ConvertJson;
    expect(output).toMatchObject({ path: 'host', alreadyPresent: false, image: { source: 'host', manifestDigest: image.manifest.digest } });
    expect(output.fallbackReason).toBeUndefined();
    expect(output.image.fallbackReason).toBeUndefined();
    await expectAppTree(output.image.diskPath);

    const second = await builderHost('convert-local', image.reference, '--store', store, '--insecure');
    expect(second, second.stderr).toMatchObject({ code: 0 });
    expect(second.stdout).toMatch(/: already present \(made by the host path\)\n/);
  });

  it('fails with the registry error code as JSON', async () => {
    const run = await builderHost('convert-local', `${registry}/orchestrate/missing:v1`, '--store', join(work, 'store-missing'), '--insecure', '--json');
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });
});
