// The orchestrator's fast path end to end: a real image from the test registry,
// converted by a real `builder-agent serve` (the real pipeline), reached over a
// Unix socket and over an emulated hybrid-vsock socket, validated, copied and
// registered; the stored disk is mounted and compared with the image's tree.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { convertImage } from '../agent/convert.js';
import { convertAndRegister, type ConvertAndRegisterOptions } from '../host/orchestrate.js';
import type { ConvertProgress } from '../core/progress.js';
import { pushImage, type PushedImage } from '../testkit/fixtures/index.js';
import { AGENT_CLI, servedAgentFixture } from './helpers/agent-process.js';
import { startFakeAgent } from './helpers/fake-agent.js';
import { makeExt4Volume, sha256File } from './helpers/host-disks.js';
import { startHybridVsock } from './helpers/hybrid-vsock.js';
import { APP_RUNTIME, APP_SPEC, expectAppTree, readMetadata, tempStore, withTempStore, type TempStore } from './helpers/orchestrate.js';

const registry = inject('registryAddress');
const NOBODY_LISTENS = 'unix:/nonexistent/erofs-builder-agent.sock';
let image: PushedImage;
let work: string;

beforeAll(async () => {
  image = await pushImage(registry, 'orchestrate/fast', APP_SPEC, { tag: 'v1' });
  work = await mkdtemp(join(tmpdir(), 'orchestrate-fast-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('fast path: real agent and pipeline over a unix socket', () => {
  const served = servedAgentFixture(AGENT_CLI);
  let temp: TempStore;
  beforeAll(async () => {
    temp = await tempStore();
  });
  afterAll(async () => {
    await temp.remove();
  });

  function options(overrides: Partial<ConvertAndRegisterOptions> = {}): ConvertAndRegisterOptions {
    return {
      reference: image.reference,
      store: temp.store,
      agent: `unix:${served().socket}`,
      volume: served().outputDir,
      registry: { insecure: true },
      fallback: 'none',
      ...overrides,
    };
  }

  it('converts in the agent, copies the checked disk and registers it with source "agent"', async () => {
    const progress: { path: string; update: ConvertProgress }[] = [];
    const logs: string[] = [];
    const result = await convertAndRegister(
      options({ onProgress: (path, update) => progress.push({ path, update }), onLog: (level, message) => logs.push(`${level}: ${message}`) }),
    );
    expect(result).toMatchObject({ path: 'agent', alreadyPresent: false });
    expect(result.fallbackReason).toBeUndefined();
    expect(result.agent?.protocolVersion).toBe(1);
    expect(result.entry).toMatchObject({
      name: image.reference,
      manifestDigest: image.manifest.digest,
      configDigest: image.config.digest,
      status: 'ready',
      format: 'erofs',
      source: 'agent',
      tags: ['v1'],
      ...APP_RUNTIME,
    });
    const metadata = await readMetadata(result.entry.dir);
    expect(metadata.source).toBe('agent');
    expect(metadata.fallbackReason).toBeUndefined();
    expect(sha256File(result.entry.diskPath)).toBe(result.entry.sha256);
    expect(result.entry.sizeBytes % 4096).toBe(0);
    await expectAppTree(result.entry.diskPath);

    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((p) => p.path === 'agent')).toBe(true);
    expect(new Set(progress.map((p) => p.update.phase))).toEqual(new Set(['resolve', 'apply', 'mkfs', 'finalize']));
    expect(result.timings.map((t) => t.step)).toEqual(['dial', 'agent-convert', 'register']);
    // The agent's disk stays on the volume unless cleanup is asked for.
    expect(await readdir(served().outputDir)).toHaveLength(1);
  });

  it('a second conversion of the same tag runs in the agent again but copies nothing', async () => {
    const before = (await readMetadata(join(temp.store.imagesDir, `${registry}/orchestrate/fast`, image.manifest.digest.slice(7)))).createdAt;
    const result = await convertAndRegister(options());
    expect(result).toMatchObject({ path: 'agent', alreadyPresent: true });
    expect(result.entry.createdAt).toBe(before);
    expect(result.timings.map((t) => t.step)).toEqual(['dial', 'agent-convert', 'register']);
  });

  it('a reference pinned to a ready digest returns from the store without dialing', async () => {
    const result = await convertAndRegister(options({ reference: image.digestReference, agent: NOBODY_LISTENS }));
    expect(result).toMatchObject({ path: 'agent', alreadyPresent: true, knownBy: 'pinned-digest' });
    expect(result.entry.manifestDigest).toBe(image.manifest.digest);
    expect(result.timings.map((t) => t.step)).toEqual(['check-store']);
  });

  it('with resolveFirst a ready tag costs one resolve on the host, no agent', async () => {
    const result = await convertAndRegister(options({ resolveFirst: true, agent: NOBODY_LISTENS }));
    expect(result).toMatchObject({ path: 'agent', alreadyPresent: true, knownBy: 'resolved-on-host' });
    expect(result.timings.map((t) => t.step)).toEqual(['resolve', 'check-store']);
  });

  it('refuses a ready digest in another format than asked for (one disk per digest)', async () => {
    const err = await convertAndRegister(options({ reference: image.digestReference, agent: NOBODY_LISTENS, format: 'ext4' })).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'UNSUPPORTED_FORMAT' });
  });

  it('asks for an output name, requires the answer to name it, and removes the disk from a directory volume with cleanupVolume', async () => {
    await withTempStore(async (other) => {
      const result = await convertAndRegister(options({ store: other.store, outputName: 'cleanup.erofs', cleanupVolume: true }));
      expect(result).toMatchObject({ path: 'agent', alreadyPresent: false });
      expect(result.timings.map((t) => t.step)).toContain('cleanup-volume');
      await expect(stat(join(served().outputDir, 'cleanup.erofs'))).rejects.toMatchObject({ code: 'ENOENT' });
      expect(sha256File(result.entry.diskPath)).toBe(result.entry.sha256);
    });
  });
});

describe('fast path: real agent behind an emulated hybrid-vsock socket', () => {
  const served = servedAgentFixture(AGENT_CLI);

  it('dials with CONNECT/OK and registers a disk holding the image tree', async () => {
    const temp = await tempStore();
    const vsock = await startHybridVsock({ path: join(work, 'vm.vsock'), agentSocket: served().socket });
    try {
      const result = await convertAndRegister({
        reference: image.reference,
        store: temp.store,
        agent: `hybrid-vsock:${join(work, 'vm.vsock')}:5000`,
        volume: served().outputDir,
        registry: { insecure: true },
        fallback: 'none',
      });
      expect(vsock.requests).toEqual(['CONNECT 5000']);
      expect(result).toMatchObject({ path: 'agent', alreadyPresent: false, entry: { source: 'agent', manifestDigest: image.manifest.digest } });
      await expectAppTree(result.entry.diskPath);
    } finally {
      await vsock.close();
      await temp.remove();
    }
  });
});

describe('fast path: the volume is an ext4 image the host reads with debugfs', () => {
  it('registers the disk the guest answered from inside the image, never mounting it', async () => {
    // The guest's side: a real disk of the image, in a volume written by mkfs.ext4 -d.
    const volumeTree = join(work, 'ext4-volume');
    await mkdir(join(volumeTree, 'out'), { recursive: true });
    const disk = await convertImage({ reference: image.reference, registry: { insecure: true }, outputPath: join(volumeTree, 'out/app.erofs') });
    const volumeImage = join(work, 'volume.ext4');
    makeExt4Volume(volumeTree, volumeImage, '64M');
    // The guest's agent answers truthfully; only a protocol-level stand-in can answer for a volume it does not write itself.
    const agent = await startFakeAgent(join(work, 'ext4-agent.sock'), {
      kind: 'result',
      result: { path: 'out/app.erofs', size_bytes: disk.sizeBytes, sha256: disk.sha256, manifest_digest: disk.manifestDigest, format: 1 },
    });
    const temp = await tempStore();
    try {
      const result = await convertAndRegister({ reference: image.reference, store: temp.store, agent: agent.address, volume: volumeImage, fallback: 'none' });
      expect(result).toMatchObject({ path: 'agent', entry: { sha256: disk.sha256, sizeBytes: disk.sizeBytes } });
      await expectAppTree(result.entry.diskPath);
      expect(execFileSync('losetup', ['--list', '--noheadings', '--output', 'BACK-FILE'], { encoding: 'utf8' })).not.toContain(volumeImage);
    } finally {
      await agent.close();
      await temp.remove();
    }
  });
});
