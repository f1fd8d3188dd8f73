#!/usr/bin/env node
// Benchmark: does reading the next layer ahead pay? Pulls an image of LAYERS
// gzip layers (LAYER_MIB of incompressible content each) with a consumer that
// does what the layer engine does per byte minus the disk (gunzip + sha256
// of the tar for the diff_id), first without prefetch (baseline, same run),
// then with prefetch. Optionally through a bandwidth limit, since a real
// registry is further away than loopback; the limiting proxy runs in a
// child process so its pacing does not share this event loop. Prints times
// and the ratio.
//
// Rounds alternate without/with and the medians are compared, since a busy
// machine makes single runs noisy.
//
//   npm run bench:prefetch [-- LAYERS LAYER_MIB PREFETCH_MIB LIMIT_MIB_PER_S ROUNDS]
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { pullLayers } from '../agent/oci/blobs.js';
import { resolveImage } from '../agent/oci/resolve.js';
import { pushImage } from '../testkit/fixtures/push.js';
import { startFaultProxy } from '../testkit/fault-proxy.js';
import { startRegistry } from '../testkit/registry/start.js';

const MIB = 1024 * 1024;

if (process.argv[2] === '--proxy') {
  // Child: a pacing proxy; prints its address, runs until killed.
  const proxy = await startFaultProxy({ upstream: process.argv[3] ?? '', bytesPerSecond: Number(process.argv[4]) });
  process.stdout.write(`${proxy.address}\n`);
  await new Promise(() => {});
}
const [layers = 8, layerMib = 16, prefetchMib = 16, limitMibPerS = 0, rounds = 5] = process.argv.slice(2).map(Number);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/** Starts the pacing proxy in a child process; resolves to its address and a stop function. */
async function pacingProxy(upstream: string, bytesPerSecond: number): Promise<{ address: string; stop: () => void }> {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--proxy', upstream, String(bytesPerSecond)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(child.stdout, 'data')) as [Buffer];
  return { address: line.toString().trim(), stop: () => child.kill('SIGKILL') };
}

async function timePull(reference: string, prefetchBytes: number): Promise<number> {
  const image = await resolveImage(reference, { insecure: true });
  const started = performance.now();
  for await (const layer of pullLayers(image, { insecure: true, prefetchBytes })) {
    const hash = createHash('sha256');
    await pipeline(layer.stream, createGunzip(), new Writable({ write: (chunk: Buffer, _enc, done) => (hash.update(chunk), done()) }));
    if (`sha256:${hash.digest('hex')}` !== layer.descriptor.diffId) throw new Error(`layer ${layer.index}: diff_id mismatch`);
  }
  return performance.now() - started;
}

const registry = await startRegistry();
try {
  const spec = Array.from({ length: layers }, (_, i) => ({ entries: [{ type: 'file' as const, path: `l${i}`, content: { size: layerMib * MIB, seed: i } }] }));
  await pushImage(registry.address, 'bench/prefetch', { layers: spec });
  const proxy = limitMibPerS > 0 ? await pacingProxy(registry.address, limitMibPerS * MIB) : undefined;
  const reference = `${proxy?.address ?? registry.address}/bench/prefetch:latest`;
  try {
    await timePull(reference, 0); // warm the registry's page cache and the code paths
    const without: number[] = [];
    const withPrefetch: number[] = [];
    for (let round = 0; round < rounds; round++) {
      without.push(await timePull(reference, 0));
      withPrefetch.push(await timePull(reference, prefetchMib * MIB));
    }
    const [withoutMs, withMs] = [median(without), median(withPrefetch)];
    console.log(
      JSON.stringify({
        layers,
        layerMib,
        prefetchMib,
        limitMibPerS: limitMibPerS || 'none (loopback)',
        rounds,
        medianWithoutPrefetchS: Number((withoutMs / 1000).toFixed(2)),
        medianWithPrefetchS: Number((withMs / 1000).toFixed(2)),
        ratio: Number((withMs / withoutMs).toFixed(2)),
      }),
    );
  } finally {
    proxy?.stop();
  }
} finally {
  await registry.stop();
}
