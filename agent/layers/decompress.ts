// Compressed layer bytes -> uncompressed tar bytes.
//
// The format is sniffed from the magic bytes, as containerd and Docker do; the
// media type is not trusted for it. gzip runs in node:zlib (libuv thread pool),
// off the main thread, overlapping the apply (an `igzip -dc` child was measured
// and left out: README, "Layer application"). zstd runs in zstd-napi, which inflates
// synchronously, 128 KiB at a time, as the consumer asks.
// Truncated input fails with TRUNCATED, corrupt input with INVALID_LAYER; an
// error of the input stream itself (e.g. a digest mismatch from the registry
// side) is reported as it is, never masked by the decompressor's complaint.
import { createRequire } from 'node:module';
import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { BuilderError, asBuilderError } from '../../proto/errors.js';
import type { LayerCompression } from '../oci/types.js';
import { FirstFailure } from './first-failure.js';

export interface DecompressOptions {
  signal?: AbortSignal;
}

export interface Decompressed {
  /** The format found in the magic bytes. */
  compression: LayerCompression;
  /** Uncompressed bytes. */
  stream: Readable;
  /** Call after `stream` ended: resolves once the compressed data is known to be complete and valid. */
  finished(): Promise<void>;
  /** Turns an error thrown while reading `stream` into the BuilderError to report. */
  explain(err: unknown): BuilderError;
  /** Stops everything (streams destroyed, child killed). Idempotent. */
  destroy(): void;
}

// zstd-napi's low-level binding (CommonJS): streaming with our own backpressure, see zstdChunks.
const zstd = createRequire(import.meta.url)('zstd-napi/binding.js') as typeof import('zstd-napi/binding.js');

/** zlib hands out chunks of this size; Node's default 16 KiB costs a thread-pool round trip per 16 KiB (README: 408 -> 244 ms for 116 MiB). */
const ZLIB_CHUNK = 256 * 1024;

export function sniffCompression(head: Buffer): LayerCompression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) return 'zstd';
  return 'none';
}

export async function decompress(source: Readable, options: DecompressOptions = {}): Promise<Decompressed> {
  // Watched before the first read, so an error at any moment (while peeking, between the
  // peek and the decoder's start, before the consumer reads) is recorded, never unhandled.
  const failures = new FirstFailure();
  failures.watch(source, 'input');
  const { head, stream: input } = await peek(source, 4);
  if (input !== source) failures.watch(input, 'input');
  const compression = sniffCompression(head);
  // The input's own failure (e.g. a digest mismatch found by the registry side) is what
  // gets reported when it came first, not the decoder's complaint about the cut-off bytes.
  const explain = (err: unknown): BuilderError => {
    const inputError = failures.inputError;
    if (inputError !== undefined) return asBuilderError(inputError, 'INVALID_LAYER');
    return classify(failures.error ?? err);
  };

  let result: Decompressed;
  if (compression === 'none') {
    const finished = (): Promise<void> => (failures.inputError !== undefined ? Promise.reject(explain(failures.inputError)) : Promise.resolve());
    result = { compression, stream: input, finished, explain, destroy: () => input.destroy() };
  } else if (compression === 'gzip') {
    const gunzip = createGunzip({ chunkSize: ZLIB_CHUNK });
    failures.watch(gunzip, 'decoder');
    // Either side's failure destroys the other; the consumer reading gunzip sees the first error.
    pipeline(input, gunzip, () => {});
    result = { compression, stream: gunzip, finished: () => Promise.resolve(), explain, destroy: () => (gunzip.destroy(), input.destroy()) };
  } else {
    const stream = Readable.from(zstdChunks(input), { highWaterMark: 4 });
    failures.watch(stream, 'decoder');
    result = { compression, stream, finished: () => Promise.resolve(), explain, destroy: () => (input.destroy(), stream.destroy()) };
  }
  if (options.signal) {
    const signal = options.signal;
    if (signal.aborted) result.destroy();
    else signal.addEventListener('abort', () => result.destroy(), { once: true });
  }
  return result;
}

/**
 * zstd frames -> chunks of at most ZSTD_DStreamOutSize (128 KiB), one at a time as the
 * consumer asks. zstd-napi's DecompressStream pushes everything one input chunk
 * expands to at once, whatever the backpressure: 20 KiB of a zstd bomb would land
 * in memory as gigabytes before the size cap could see them.
 */
async function* zstdChunks(input: Readable): AsyncGenerator<Buffer> {
  const dctx = new zstd.DCtx();
  const size = zstd.dStreamOutSize();
  let inFrame = false;
  // destroyOnReturn: false — when decoding fails, the input must not look as if it failed itself.
  for await (const chunk of input.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    let src = chunk;
    for (;;) {
      const dst = Buffer.allocUnsafe(size);
      const [ret, produced, consumed] = dctx.decompressStream(dst, src);
      src = src.subarray(consumed);
      if (produced > 0) yield dst.subarray(0, produced);
      if (src.length === 0 && (produced < dst.length || ret === 0)) {
        inFrame = ret !== 0;
        break;
      }
    }
  }
  if (inFrame) throw new Error('zstd stream truncated: it ends inside a frame');
}

/** Decompressor complaints -> stable codes: premature end -> TRUNCATED, anything else -> INVALID_LAYER. */
function classify(err: unknown): BuilderError {
  if (err instanceof BuilderError) return err;
  const e = err as NodeJS.ErrnoException;
  if (e?.name === 'AbortError') return asBuilderError(err);
  const message = e?.message ?? String(err);
  const truncated = e?.code === 'Z_BUF_ERROR' || /unexpected end|ended in middle|does not contain a complete|truncated/i.test(message);
  return new BuilderError(truncated ? 'TRUNCATED' : 'INVALID_LAYER', `decompressing layer: ${message}`, { cause: err });
}

/**
 * Reads at least `n` bytes (fewer at end of stream) and puts them back; returns the
 * stream to go on with (a fresh one when the source already ended).
 */
function peek(input: Readable, n: number): Promise<{ head: Buffer; stream: Readable }> {
  return new Promise((resolve, reject) => {
    // A stream that already failed or closed emits nothing more: waiting for it would hang.
    if (input.errored) return reject(asBuilderError(input.errored, 'INVALID_LAYER'));
    if (input.destroyed) return reject(new BuilderError('INVALID_LAYER', 'the layer stream was closed before it was read'));
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (ended: boolean, err?: unknown): void => {
      input.off('readable', onReadable);
      input.off('end', onEnd);
      input.off('error', onError);
      if (err !== undefined) return reject(asBuilderError(err, 'INVALID_LAYER'));
      const head = Buffer.concat(chunks);
      if (ended) return resolve({ head, stream: Readable.from(head.length > 0 ? [head] : []) });
      input.unshift(head);
      resolve({ head, stream: input });
    };
    const onReadable = (): void => {
      let chunk: Buffer | null;
      while (size < n && (chunk = input.read() as Buffer | null) !== null) {
        chunks.push(chunk);
        size += chunk.length;
      }
      if (size >= n) done(false);
    };
    const onEnd = (): void => done(true);
    const onError = (err: unknown): void => done(false, err);
    input.on('readable', onReadable);
    input.once('end', onEnd);
    input.once('error', onError);
  });
}
