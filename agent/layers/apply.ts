// The layer pipeline: compressed blob -> decompress -> sha256 of the tar bytes
// (checked against the diff_id at the true end of the stream) -> tar parser ->
// extractor, one layer after another into one root.
//
// Concurrency: decompression runs off the main thread (the zlib thread pool)
// while the main thread hashes, parses and writes; the blob source downloads
// the next layer meanwhile (pullLayers' read-ahead). Entries are applied
// strictly in order (README, "Layer application").
import { BuilderError, asBuilderError } from '../../proto/errors.js';
import type { LayerBlob, LayerCompression } from '../oci/types.js';
import { Extractor, type ExtractStats } from './extractor.js';
import { inflateLayer, type InflatedLayer } from './inflate.js';
import type { Identity } from './metadata.js';
import { TarReader } from './tar.js';

export interface ApplyProgress {
  /** 1-based position of the layer being applied. */
  layer: number;
  /** Compressed bytes read so far of this layer, and its size from the manifest. */
  compressedBytes: number;
  compressedTotal: number;
  /** Uncompressed (tar) bytes so far of this layer. */
  tarBytes: number;
  /** Entries applied so far, all layers. */
  entries: number;
}

export interface ApplyOptions {
  signal?: AbortSignal;
  /** Cap on bytes written for the whole image (see Extractor); SIZE_LIMIT beyond it. Default: none. */
  sizeLimit?: number;
  onProgress?: (progress: ApplyProgress) => void;
  /** Who we run as (tests); defaults to the process's effective ids. */
  identity?: Identity;
}

export interface LayerResult {
  digest: string;
  diffId: string;
  compression: LayerCompression;
  compressedBytes: number;
  tarBytes: number;
  entries: number;
}

export interface ApplyResult extends ExtractStats {
  layers: LayerResult[];
}

const PROGRESS_STEP = 4 * 1024 * 1024;
/**
 * Applies layers bottom to top into `root` (an existing, empty directory we own).
 * On error the root is left as far as it got (the caller discards it) and nothing
 * outside it has been touched; the error is a BuilderError with a stable code.
 */
export async function applyLayers(root: string, blobs: AsyncIterable<LayerBlob> | Iterable<LayerBlob>, options: ApplyOptions = {}): Promise<ApplyResult> {
  const extractor = new Extractor(root, { sizeLimit: options.sizeLimit, identity: options.identity });
  const results: LayerResult[] = [];
  try {
    // One blob at a time: the source reads ahead itself, within its own byte bound
    // (pullLayers downloads layer i+1 while layer i is handed out); asking early
    // would let it run two layers ahead.
    for await (const blob of blobs) {
      const layer = await inflateLayer(blob, { signal: options.signal });
      throwIfAborted(options.signal);
      const position = results.length + 1;
      results.push(await applyLayer(extractor, layer, position, options).catch((err: unknown) => Promise.reject(asBuilderError(err, 'INVALID_LAYER'))));
    }
    throwIfAborted(options.signal);
    return { ...extractor.finish(), layers: results };
  } catch (err) {
    extractor.abort();
    throw options.signal?.aborted ? cancelled(options.signal) : asBuilderError(err);
  }
}

/** One layer into an extractor that has the lower layers already. */
async function applyLayer(extractor: Extractor, layer: InflatedLayer, position: number, options: ApplyOptions): Promise<LayerResult> {
  const { onProgress } = options;
  const tar = new TarReader(extractor);
  const entriesBefore = extractor.entries;
  let reported = 0;
  const report = (): void =>
    onProgress?.({ layer: position, compressedBytes: layer.compressedBytes, compressedTotal: layer.descriptor.size, tarBytes: layer.tarBytes, entries: extractor.entries });

  extractor.beginLayer(position - 1);
  for await (const chunk of layer.chunks) {
    // After the end-of-archive marker the rest is only read: the diff_id covers it too.
    if (!tar.done) tar.write(chunk);
    if (onProgress && layer.compressedBytes - reported >= PROGRESS_STEP) {
      reported = layer.compressedBytes;
      report();
    }
  }
  tar.end();
  extractor.endLayer();
  report();
  return {
    digest: layer.descriptor.digest,
    diffId: layer.descriptor.diffId,
    compression: layer.compression,
    compressedBytes: layer.compressedBytes,
    tarBytes: layer.tarBytes,
    entries: extractor.entries - entriesBefore,
  };
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelled(signal);
}

function cancelled(signal: AbortSignal): BuilderError {
  const reason: unknown = signal.reason;
  if (reason instanceof BuilderError) return reason;
  return new BuilderError('CANCELLED', reason instanceof Error ? reason.message : 'layer application cancelled');
}
