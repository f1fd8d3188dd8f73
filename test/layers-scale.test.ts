// Scale: 100k tiny files apply with flat memory (no per-entry buffering beyond
// the per-layer path set), and a report of what it cost.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyLayers } from '../agent/layers/apply.js';
import { buildImage, type EntrySpec } from '../testkit/fixtures/index.js';
import { layerBlobs, makeWork, removeWorks } from './layers/support.js';

afterAll(removeWorks);

describe('scale', () => {
  it('applies 100k tiny files with flat memory', async () => {
    const entries: EntrySpec[] = [];
    for (let d = 0; d < 100; d++) {
      entries.push({ type: 'dir', path: `d${d}` });
      for (let f = 0; f < 1000; f++) entries.push({ type: 'file', path: `d${d}/file-${f}`, content: 'x'.repeat(f % 100) });
    }
    const image = buildImage({ layers: [{ entries, compression: 'zstd' }] });
    const tarBytes = image.layers[0]!.tar.length;
    const work = await makeWork('scale');
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    const started = performance.now();
    const result = await applyLayers(work.root, layerBlobs(image));
    const applied = performance.now() - started;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    const growth = peak - before;
    console.log(
      `100k files: apply ${applied.toFixed(0)} ms, RSS growth ${(growth / 2 ** 20).toFixed(1)} MiB for a ${(tarBytes / 2 ** 20).toFixed(0)} MiB tar, ` +
        `${(result.syscalls / result.entries).toFixed(2)} syscalls/entry`,
    );
    expect(result.entries).toBe(100_100);
    for (const d of [0, 50, 99]) expect(readdirSync(join(work.root, `d${d}`))).toHaveLength(1000);
    // Streaming: memory grows by the per-layer path set (~100k short strings), far
    // below the layer's size; buffering the layer would add at least its 97 MiB.
    expect(growth).toBeLessThan(32 * 2 ** 20);
  });
});
