// `builder-agent serve` with the real pipeline, end to end: a fixture image in the
// test registry, the agent (the built CLI) on a Unix socket and behind an emulated
// Cloud Hypervisor hybrid-vsock socket, the disk loop-mounted and compared.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { AgentClient } from '../host/client.js';
import { Phase, type IProgress } from '../proto/builder.js';
import { bulkyImage, sampleImage } from './agent/sample-image.js';
import { expectNoWorkArea, expectSampleDisk } from './agent/support.js';
import { pushImage, type PushedImage } from '../testkit/fixtures/index.js';
import { mountsAt } from './disk/scratch.js';
import { AGENT_CLI, serveOnUnixSocket, spawnAgent, type AgentProcess, type ServedAgent } from './helpers/agent-process.js';
import { rejection } from './helpers/expect-error.js';
import { startHybridVsock, type HybridVsock } from './helpers/hybrid-vsock.js';
import { RawConnection } from './helpers/raw-connection.js';
import { startFaultProxy, type FaultProxy } from '../testkit/fault-proxy.js';

const registry = inject('registryAddress');
const insecure = { insecure: true };

async function fileDigest(path: string): Promise<string> {
  return `sha256:${createHash('sha256').update(await readFile(path)).digest('hex')}`;
}

describe('builder-agent serve with the real pipeline', () => {
  let served: ServedAgent;
  let hybrid: HybridVsock;
  let image: PushedImage;
  let bulky: PushedImage;
  /** The registry behind a 4 MiB/s link, so a bulky layer takes seconds to pull. */
  let slowLink: FaultProxy;
  const clients: AgentClient[] = [];

  async function connect(address = `unix:${served.socket}`): Promise<AgentClient> {
    const client = await AgentClient.connect(address);
    clients.push(client);
    return client;
  }

  beforeAll(async () => {
    [image, bulky] = await Promise.all([pushImage(registry, 'e2e/sample', sampleImage), pushImage(registry, 'e2e/bulky', bulkyImage(6, 100))]);
    slowLink = await startFaultProxy({ upstream: registry, bytesPerSecond: 4 * 1024 * 1024 });
    served = await serveOnUnixSocket(AGENT_CLI);
    hybrid = await startHybridVsock({ path: join(served.dir, 'vm.vsock'), agentSocket: served.socket });
  });

  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });

  afterAll(async () => {
    await hybrid?.close();
    await served?.close();
    await slowLink?.close();
  });

  it('announces the installed erofs-utils in its hello', async () => {
    const client = await connect();
    expect(client.agent.erofsUtilsVersion).toMatch(/^\d+\.\d+/);
    expect(client.agent.compressions).toContain('lz4');
  });

  it('converts over the Unix socket: progress in order, a Result matching the disk, the tree exact', async () => {
    const client = await connect();
    const progress: IProgress[] = [];
    const result = await client.convert(
      { image_ref: image.reference, registry: insecure, output_name: 'sample.erofs' },
      { onProgress: (p) => progress.push(p) },
    );
    const disk = join(served.outputDir, 'sample.erofs');
    expect(result.path).toBe('sample.erofs');
    expect(result.manifest_digest).toBe(image.manifest.digest);
    expect(result.config_digest).toBe(image.config.digest);
    expect(result.size_bytes! % 4096).toBe(0);
    expect(result.sha256).toBe(await fileDigest(disk));
    expect(result.config?.entrypoint).toEqual(['/bin/su']);
    expect(result.config?.working_dir).toBe('/home/user');
    expect(result.erofs_utils_version).toBe(client.agent.erofsUtilsVersion);
    expect(result.timings?.map((t) => t.phase)).toEqual([Phase.RESOLVE, Phase.APPLY, Phase.MKFS, Phase.FINALIZE]);

    const phases = progress.map((p) => p.phase ?? 0);
    expect(phases).toEqual([...phases].sort((a, b) => a - b));
    expect(new Set(phases)).toEqual(new Set([Phase.RESOLVE, Phase.APPLY, Phase.MKFS, Phase.FINALIZE]));
    await expectSampleDisk(disk);
    await expectNoWorkArea(served.dir);
  });

  it('converts over the emulated hybrid vsock to a byte-identical disk, named by digest by default', async () => {
    const client = await connect(`hybrid-vsock:${join(served.dir, 'vm.vsock')}:5001`);
    const result = await client.convert({ image_ref: image.reference, registry: insecure });
    expect(hybrid.requests).toContain('CONNECT 5001');
    expect(result.path).toBe(`${image.manifest.digest.slice('sha256:'.length)}.erofs`);
    expect(result.sha256).toBe(await fileDigest(join(served.outputDir, 'sample.erofs')));
    await expectSampleDisk(join(served.outputDir, result.path!));
  });

  it('answers a bad image with a clean Error and keeps serving', async () => {
    const client = await connect();
    const error = await rejection(client.convert({ image_ref: `${registry}/e2e/sample:no-such-tag`, registry: insecure, output_name: 'missing.erofs' }));
    expect(error.code).toBe('NOT_FOUND');
    expect(await client.ping()).toBeGreaterThanOrEqual(0);
    const again = await connect();
    const result = await again.convert({ image_ref: image.reference, registry: insecure, output_name: 'after-error.erofs' });
    expect(result.sha256).toBe(await fileDigest(join(served.outputDir, 'sample.erofs')));
  });

  it('cancels mid-layer: CANCELLED, and no disk, partial file, created directory or work area left', async () => {
    const client = await connect();
    const before = await readdir(served.outputDir);
    let cancelled: Promise<void> | undefined;
    const error = await rejection(
      client.convert(
        { image_ref: `${slowLink.address}/e2e/bulky:latest`, registry: insecure, output_name: 'nested/dir/cancelled.erofs' },
        {
          onProgress: (p) => {
            if (p.phase === Phase.APPLY && (p.bytes_done ?? 0) > 0) cancelled ??= client.cancel();
          },
        },
      ),
    );
    await cancelled;
    expect(cancelled).toBeDefined();
    expect(error.code).toBe('CANCELLED');
    expect(await readdir(served.outputDir)).toEqual(before);
    await expectNoWorkArea(served.dir);
  });

  it('stops at the request timeout with TIMEOUT and cleans up', async () => {
    const client = await connect();
    const before = await readdir(served.outputDir);
    const error = await rejection(client.convert({ image_ref: `${slowLink.address}/e2e/bulky:latest`, registry: insecure, output_name: 'late.erofs', timeout_seconds: 1 }));
    expect(error.code).toBe('TIMEOUT');
    expect(await readdir(served.outputDir)).toEqual(before);
    await expectNoWorkArea(served.dir);
  });

  it('after a SIGKILL mid-conversion, the restarted agent unmounts and removes what the killed one left', async () => {
    const killed = await serveOnUnixSocket(AGENT_CLI);
    let restarted: AgentProcess | undefined;
    try {
      const client = await AgentClient.connect(`unix:${killed.socket}`);
      clients.push(client);
      const pid = killed.agent.child.pid!;
      const error = await rejection(
        client.convert(
          { image_ref: `${slowLink.address}/e2e/bulky:latest`, registry: insecure, output_name: 'killed.erofs' },
          { onProgress: (p) => p.phase === Phase.APPLY && (p.bytes_done ?? 0) > 0 && killed.agent.child.kill('SIGKILL') },
        ),
      );
      expect(error.code).toBe('AGENT_UNAVAILABLE');
      expect(await killed.agent.waitForExit()).toBe('SIGKILL');
      // What no handler could clean: the tmpfs (holding the tree in RAM) and, had mkfs been running, a partial disk.
      expect((await mountsAt(killed.dir)).map((m) => basename(m.mountpoint))).toEqual([expect.stringMatching(new RegExp(`^erofs-builder-work-${pid}-`))]);
      const deadPartial = `.erofs-builder-partial-${pid}-0badc0de`;
      const livePartial = `.erofs-builder-partial-${process.pid}-600dc0de`;
      await Promise.all([deadPartial, livePartial].map((name) => writeFile(join(killed.outputDir, name), 'partial')));

      restarted = spawnAgent(AGENT_CLI, ['--listen', `unix:${killed.socket}`, '--output-dir', killed.outputDir, '--work-dir', killed.dir]);
      await restarted.waitForLine(/listening on unix:/);
      await expectNoWorkArea(killed.dir);
      expect(await readdir(killed.outputDir)).toEqual([livePartial]);
      expect(restarted.lines.join('\n')).toMatch(/removing the work area .*erofs-builder-work-\d+-\w+ of a killed agent \(tmpfs still mounted\)/);
    } finally {
      await restarted?.stop();
      for (const mount of await mountsAt(killed.dir)) execFileSync('umount', ['--lazy', mount.mountpoint]); // only if the test failed
      await killed.close();
    }
  });

  it('closes only the connection that sends garbage', async () => {
    const raw = await RawConnection.greeted(served.socket);
    raw.writeRaw(Buffer.from([0x05, 0xff, 0xff, 0xff, 0xff, 0xff]));
    await raw.closed;
    const client = await connect();
    const result = await client.convert({ image_ref: bulky.reference, registry: insecure, output_name: 'bulky.erofs' });
    expect(result.size_bytes).toBeGreaterThan(24 * 1024 * 1024);
  });
});
