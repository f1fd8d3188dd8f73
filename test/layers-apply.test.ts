// The pipeline around the extractor: progress, cancellation (child processes
// gone), errors of the blob source, async blob sources.
import { PassThrough, Readable } from 'node:stream';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { applyLayers, type ApplyProgress } from '../agent/layers/apply.js';
import { pullLayers } from '../agent/oci/blobs.js';
import { resolveImage } from '../agent/oci/resolve.js';
import type { LayerBlob } from '../agent/oci/types.js';
import { BuilderError } from '../proto/errors.js';
import { buildImage, pushImage, type ImageSpec } from '../testkit/fixtures/index.js';
import { everyType, everyTypeExpected } from './layers/specs.js';
import { expectCanaryUntouched, expectTree, layerBlobs, makeWork, removeWorks } from './layers/support.js';

afterAll(removeWorks);

const big: ImageSpec = {
  layers: [
    { entries: [{ type: 'file', path: 'a', content: { size: 24 << 20, seed: 1 } }] },
    { entries: [{ type: 'file', path: 'b', content: { size: 8 << 20, seed: 2 } }], compression: 'zstd' },
  ],
};

describe('applyLayers', () => {
  it('reports progress per layer, in compressed bytes against the descriptor size', async () => {
    const work = await makeWork('progress');
    const image = buildImage(big);
    const seen: ApplyProgress[] = [];
    const result = await applyLayers(work.root, layerBlobs(image), { onProgress: (p) => seen.push({ ...p }) });
    const last = (layer: number): ApplyProgress => seen.filter((p) => p.layer === layer).at(-1)!;
    expect(last(1)).toMatchObject({ compressedBytes: image.layers[0]!.size, compressedTotal: image.layers[0]!.size, tarBytes: image.layers[0]!.tar.length });
    expect(last(2)).toMatchObject({ compressedBytes: image.layers[1]!.size, tarBytes: image.layers[1]!.tar.length, entries: 2 });
    expect(seen.filter((p) => p.layer === 1).length).toBeGreaterThan(2); // intermediate reports, not only the final one
    for (let i = 1; i < seen.length; i++) {
      if (seen[i]!.layer === seen[i - 1]!.layer) expect(seen[i]!.compressedBytes).toBeGreaterThanOrEqual(seen[i - 1]!.compressedBytes);
    }
    expect(result.layers.map((l) => [l.compression, l.entries])).toEqual([
      ['gzip', 1],
      ['zstd', 1],
    ]);
  });

  it('stops on abort with CANCELLED while the source stalls, and touches nothing outside the root', async () => {
    const work = await makeWork('abort');
    const image = buildImage(big);
    const controller = new AbortController();
    // A source that delivers half the layer and then stalls, like a hung registry.
    const stalled = new PassThrough();
    stalled.write(image.layers[0]!.bytes.subarray(0, image.layers[0]!.size >> 1));
    const blobs: LayerBlob[] = [{ ...layerBlobs(image)[0]!, stream: stalled }];
    const applying = applyLayers(work.root, blobs, { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 200));
    controller.abort();
    await expect(applying).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(stalled.destroyed).toBe(true);
    await expectCanaryUntouched(work);
  });

  it('reports an error of a blob stream (a registry-side DIGEST_MISMATCH) as it is, and lets the source clean up', async () => {
    const work = await makeWork('source-error');
    const image = buildImage(big);
    const failing = new PassThrough();
    failing.write(image.layers[0]!.bytes.subarray(0, 100_000));
    setTimeout(() => failing.destroy(new BuilderError('DIGEST_MISMATCH', 'blob sha256:... does not match its digest')), 50);
    let sourceClosed = false;
    async function* source(): AsyncGenerator<LayerBlob> {
      try {
        yield await Promise.resolve({ ...layerBlobs(image)[0]!, stream: failing });
        yield layerBlobs(image)[1]!;
      } finally {
        sourceClosed = true; // where pullLayers destroys its read-ahead
      }
    }
    const err = await applyLayers(work.root, source()).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'DIGEST_MISMATCH' });
    expect(sourceClosed).toBe(true);
  });

  it('asks an async source for the next blob only when the current one is applied (read-ahead is the source\'s job)', async () => {
    const work = await makeWork('async');
    const blobs = layerBlobs(buildImage(big));
    const firstDoneWhenSecondAsked: boolean[] = [];
    async function* source(): AsyncGenerator<LayerBlob> {
      yield await Promise.resolve(blobs[0]!);
      firstDoneWhenSecondAsked.push(blobs[0]!.stream.readableEnded);
      yield blobs[1]!;
    }
    await applyLayers(work.root, source());
    expect(firstDoneWhenSecondAsked).toEqual([true]);
    await expectTree(
      work.root,
      [
        { type: 'file', path: 'a', content: { size: 24 << 20, seed: 1 } },
        { type: 'file', path: 'b', content: { size: 8 << 20, seed: 2 } },
      ],
      { ignoreDirMtimes: true },
    );
  });

  it('turns a failing blob source into a BuilderError', async () => {
    const work = await makeWork('source-throws');
    const empty = 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'; // an empty layer
    async function* source(): AsyncGenerator<LayerBlob> {
      yield await Promise.resolve({ index: 0, descriptor: { digest: empty, mediaType: 'x', size: 0, diffId: empty, compression: 'none' as const }, stream: Readable.from([]) });
      throw new BuilderError('REGISTRY_ERROR', 'connection reset while opening layer 2');
    }
    await expect(applyLayers(work.root, source())).rejects.toMatchObject({ code: 'REGISTRY_ERROR' });
    async function* failsFirst(): AsyncGenerator<LayerBlob> {
      yield* await Promise.resolve([]);
      throw new BuilderError('REGISTRY_ERROR', 'connection reset');
    }
    await expect(applyLayers(work.root, failsFirst())).rejects.toMatchObject({ code: 'REGISTRY_ERROR' });
  });

  it('applies what the registry client pulls (resolveImage + pullLayers), layer streams verified on the way', async () => {
    const work = await makeWork('pulled');
    const pushed = await pushImage(inject('registryAddress'), 'layers-apply/pulled', {
      layers: [
        { entries: everyType.slice(0, 12), compression: 'gzip' },
        { entries: everyType.slice(12), compression: 'zstd' },
      ],
    });
    const options = { insecure: true, retries: 0, timeoutMs: 10_000 };
    const image = await resolveImage(pushed.reference, options);
    const result = await applyLayers(work.root, pullLayers(image, options));
    expect(result.layers.map((l) => l.diffId)).toEqual(image.layers.map((l) => l.diffId));
    await expectTree(work.root, everyTypeExpected);
  });
});
