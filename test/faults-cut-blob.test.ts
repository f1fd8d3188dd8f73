// A layer blob cut short, at every point where the layer pipeline changes hands:
// the 4-byte format peek, each 4 MiB input batch (-1, exact, +1, +96), the last
// byte. The fault proxy sits in front of the real registry and either ends the
// response cleanly after N bytes (what a truncating proxy or a registry serving
// a short file does: DIGEST_MISMATCH) or drops the connection (REGISTRY_ERROR).
// Every cut must come back as an error with its code, never crash the process
// (vitest fails a file on any unhandled 'error'), and leave no work area behind:
// in process (every format), through a real agent process (which must live on)
// and through `builder-host convert-local` (a JSON error, not a crash).
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { applyLayers } from '../agent/layers/apply.js';
import { pullLayers } from '../agent/oci/blobs.js';
import { resolveImage } from '../agent/oci/resolve.js';
import type { BuilderError } from '../proto/errors.js';
import { expectNoWorkArea } from './agent/support.js';
import { pushImage, type LayerCompressionSpec, type PushedImage } from '../testkit/fixtures/index.js';
import { AGENT_CLI, serveOnUnixSocket, type ServedAgent } from './helpers/agent-process.js';
import { builtHostFile } from './helpers/host-dist.js';
import { startFaultProxy, type Fault, type FaultProxy } from '../testkit/fault-proxy.js';

const registry = inject('registryAddress');
const BATCH = 4 * 1024 * 1024;
const OPTS = { insecure: true, retries: 0 };

/** The cut points: around the format peek, around every batch boundary inside the blob, its last byte. */
function cutPoints(size: number): number[] {
  const points = [1, 3, 4, 5];
  for (let boundary = BATCH; boundary < size; boundary += BATCH) points.push(boundary - 1, boundary, boundary + 1, boundary + 96);
  points.push(size - 1);
  return [...new Set(points.filter((point) => point > 0 && point < size))].sort((a, b) => a - b);
}

/** An image whose layer `cutLayer` is 8 MiB of incompressible bytes (two batch boundaries inside the blob). */
async function bigLayerImage(repository: string, compression: LayerCompressionSpec, layers: 1 | 2): Promise<{ image: PushedImage; digest: string; size: number }> {
  const big = { entries: [{ type: 'file' as const, path: 'big', content: { size: 8 << 20, seed: 14 } }], compression };
  const small = { entries: [{ type: 'file' as const, path: 'small', content: 'below the big layer\n' }], compression };
  const image = await pushImage(registry, repository, { layers: layers === 1 ? [big] : [small, big] });
  const layer = image.layers[layers - 1];
  if (layer === undefined) throw new Error('no big layer');
  expect(layer.size).toBeGreaterThan(2 * BATCH + 96);
  return { image, digest: layer.digest, size: layer.size };
}

function shortBody(digest: string, afterBytes: number, chunked = false): (req: { url?: string }) => Fault | undefined {
  return (req) => (req.url?.endsWith(digest) ? { kind: 'short-body', afterBytes, chunked } : undefined);
}

async function withProxy<T>(fault: (req: { url?: string }) => Fault | undefined, run: (proxy: FaultProxy) => Promise<T>): Promise<T> {
  const proxy = await startFaultProxy({ upstream: registry, fault });
  try {
    return await run(proxy);
  } finally {
    await proxy.close();
  }
}

async function failureOf(promise: Promise<unknown>): Promise<BuilderError> {
  try {
    await promise;
  } catch (err) {
    return err as BuilderError;
  }
  throw new Error('the conversion succeeded on a cut blob');
}

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'faults-cut-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('pull + apply in process, every format', () => {
  const cases: Array<{ compression: LayerCompressionSpec; layers: 1 | 2 }> = [
    { compression: 'gzip', layers: 1 },
    { compression: 'zstd', layers: 1 },
    { compression: 'none', layers: 1 },
    // The cut layer is read ahead while the one below it is applied.
    { compression: 'gzip', layers: 2 },
  ];
  for (const { compression, layers } of cases) {
    it(`${compression}, ${layers === 1 ? 'the only layer' : 'a layer read ahead'}: DIGEST_MISMATCH at every cut`, async () => {
      const { image, digest, size } = await bigLayerImage(`faults/cut-${compression}-${layers}`, compression, layers);
      for (const cut of cutPoints(size)) {
        const root = await mkdtemp(join(work, 'root-'));
        const err = await withProxy(shortBody(digest, cut, cut % 2 === 1), async (proxy) => {
          const resolved = await resolveImage(image.reference.replace(registry, proxy.address), OPTS);
          return failureOf(applyLayers(root, pullLayers(resolved, OPTS)));
        });
        expect({ cut, code: err.code, message: err.message }).toMatchObject({ cut, code: 'DIGEST_MISMATCH', message: expect.stringContaining(`ended after ${cut} of ${size} bytes`) as unknown });
        await rm(root, { recursive: true, force: true });
      }
    });
  }

  it('a connection dropped at the batch boundaries: REGISTRY_ERROR, not a crash', async () => {
    const { image, digest, size } = await bigLayerImage('faults/drop', 'gzip', 1);
    for (const cut of cutPoints(size)) {
      const root = await mkdtemp(join(work, 'root-'));
      const err = await withProxy(
        (req) => (req.url?.endsWith(digest) ? { kind: 'cut-body', afterBytes: cut } : undefined),
        async (proxy) => failureOf(applyLayers(root, pullLayers(await resolveImage(image.reference.replace(registry, proxy.address), OPTS), OPTS))),
      );
      expect({ cut, code: err.code }).toEqual({ cut, code: 'REGISTRY_ERROR' });
      await rm(root, { recursive: true, force: true });
    }
  });
});

/** Runs the built builder-host without blocking the event loop. */
function builderHost(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [builtHostFile('cli.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (data: string) => (stdout += data));
    child.stderr.setEncoding('utf8').on('data', (data: string) => (stderr += data));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** builder-host's JSON error, or a description of what it printed instead. */
function jsonError(run: { code: number | null; stdout: string; stderr: string }): { exit: number | null; code?: string; message?: string } {
  try {
    const { error } = JSON.parse(run.stdout) as { error: { code: string; message: string } };
    return { exit: run.code, code: error.code, message: error.message };
  } catch {
    return { exit: run.code, message: `no JSON error; stdout ${JSON.stringify(run.stdout)}, stderr ${JSON.stringify(run.stderr.slice(-2000))}` };
  }
}

describe('processes: the agent answers and lives on, the host path prints a JSON error', () => {
  let served: ServedAgent;
  let image: PushedImage;
  let digest: string;
  let size: number;
  beforeAll(async () => {
    ({ image, digest, size } = await bigLayerImage('faults/cut-processes', 'gzip', 1));
    served = await serveOnUnixSocket(AGENT_CLI);
  });
  afterAll(async () => {
    await served.close();
  });

  it('agent path (builder-host convert --fallback none): DIGEST_MISMATCH at every cut, the same agent throughout, no tmpfs left', async () => {
    const pid = served.agent.child.pid;
    for (const cut of cutPoints(size)) {
      const run = await withProxy(shortBody(digest, cut), (proxy) =>
        builderHost(['convert', image.reference.replace(registry, proxy.address), '--agent', `unix:${served.socket}`, '--volume', served.outputDir, '--store', join(work, 'store-agent'), '--insecure', '--fallback', 'none', '--json']),
      );
      expect({ cut, ...jsonError(run) }).toMatchObject({ cut, exit: 1, code: 'DIGEST_MISMATCH', message: expect.stringContaining(`ended after ${cut} of ${size} bytes`) as unknown });
      expect(served.agent.child.exitCode).toBeNull();
      expect(served.agent.child.pid).toBe(pid);
      await expectNoWorkArea(served.dir);
      expect(await readdir(served.outputDir)).toEqual([]);
    }
  });

  it('host path (builder-host convert-local): a JSON DIGEST_MISMATCH at every cut, no tmpfs or work area left', async () => {
    const workDir = join(work, 'host-work');
    await mkdir(workDir, { recursive: true });
    for (const cut of cutPoints(size)) {
      const run = await withProxy(shortBody(digest, cut), (proxy) =>
        builderHost(['convert-local', image.reference.replace(registry, proxy.address), '--store', join(work, 'store-host'), '--work-dir', workDir, '--insecure', '--json']),
      );
      expect({ cut, ...jsonError(run) }).toMatchObject({ cut, exit: 1, code: 'DIGEST_MISMATCH', message: expect.stringContaining(`ended after ${cut} of ${size} bytes`) as unknown });
      await expectNoWorkArea(workDir);
    }
  });

  it('fast path cut, then the fallback cut too (builder-host convert): one JSON error naming both, nothing left on either side', async () => {
    const workDir = join(work, 'fallback-work');
    await mkdir(workDir, { recursive: true });
    const run = await withProxy(shortBody(digest, BATCH), (proxy) =>
      builderHost(['convert', image.reference.replace(registry, proxy.address), '--agent', `unix:${served.socket}`, '--volume', served.outputDir, '--store', join(work, 'store-fallback'), '--work-dir', workDir, '--insecure', '--json']),
    );
    expect(jsonError(run)).toMatchObject({ exit: 1, code: 'DIGEST_MISMATCH', message: expect.stringMatching(/ended after 4194304 of \d+ bytes.*after the fast path failed with DIGEST_MISMATCH/) as unknown });
    expect(served.agent.child.exitCode).toBeNull();
    await expectNoWorkArea(served.dir);
    await expectNoWorkArea(workDir);
  });
});
