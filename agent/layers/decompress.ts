// Compressed layer bytes -> uncompressed tar bytes.
//
// The format is sniffed from the magic bytes, as containerd and Docker do; the
// media type is not trusted for it. gzip runs in node:zlib (libuv thread pool)
// or, on request, in an `igzip -dc` child process (ISA-L); either way off the
// main thread, overlapping the apply. zstd runs in zstd-napi, which
// inflates synchronously, 128 KiB at a time, as the consumer asks (README,
// "Layer application", has numbers).
// Truncated input fails with TRUNCATED, corrupt input with INVALID_LAYER; an
// error of the input stream itself (e.g. a digest mismatch from the registry
// side) is reported as it is, never masked by the decompressor's complaint.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { BuilderError, asBuilderError } from '../../proto/errors.js';
import type { LayerCompression } from '../oci/types.js';

export type GzipDecoder = 'zlib' | 'igzip';

export interface DecompressOptions {
  /**
   * Which gzip decoder: 'zlib' (default; node:zlib in the thread pool), 'igzip' (a child
   * process), or 'auto' (igzip for blobs of IGZIP_MIN_BYTES and more when installed).
   * Measured equal within noise here, zlib using a little less CPU (README).
   */
  gzip?: GzipDecoder | 'auto';
  /** Compressed size, when known (the descriptor's): small blobs are not worth a process. */
  sizeHint?: number;
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
/** Starting igzip costs ~10 ms here; below this compressed size zlib finishes first. */
export const IGZIP_MIN_BYTES = 4 * 1024 * 1024;

export function sniffCompression(head: Buffer): LayerCompression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) return 'zstd';
  return 'none';
}

let igzipPresent: boolean | undefined;
/** Whether `igzip` can be run (checked once per process). */
export function igzipAvailable(): boolean {
  igzipPresent ??= spawnSync('igzip', ['--version'], { stdio: 'ignore' }).status === 0;
  return igzipPresent;
}

export async function decompress(source: Readable, options: DecompressOptions = {}): Promise<Decompressed> {
  const { head, stream: input } = await peek(source, 4);
  const compression = sniffCompression(head);
  // The input's own failure (e.g. a digest mismatch found by the registry side) is what
  // gets reported; decoders never destroy the input with their errors, so this is it.
  let inputError: unknown;
  input.once('error', (err) => (inputError ??= err));
  const explain = (err: unknown): BuilderError => {
    if (inputError !== undefined) return asBuilderError(inputError, 'INVALID_LAYER');
    return classify(err);
  };

  let result: Decompressed;
  if (compression === 'none') {
    const finished = (): Promise<void> => (inputError !== undefined ? Promise.reject(explain(inputError)) : Promise.resolve());
    result = { compression, stream: input, finished, explain, destroy: () => input.destroy() };
  } else if (compression === 'gzip' && chooseGzip(options.gzip, options.sizeHint) === 'igzip') {
    result = viaChild(input, ['igzip', '-dc'], compression, () => inputError, explain);
  } else if (compression === 'gzip') {
    const gunzip = createGunzip({ chunkSize: ZLIB_CHUNK });
    input.once('error', (err) => gunzip.destroy(err));
    input.pipe(gunzip);
    result = { compression, stream: gunzip, finished: () => Promise.resolve(), explain, destroy: () => (input.destroy(), gunzip.destroy()) };
  } else {
    const stream = Readable.from(zstdChunks(input), { highWaterMark: 4 });
    result = { compression, stream, finished: () => Promise.resolve(), explain, destroy: () => (input.destroy(), stream.destroy()) };
  }
  if (options.signal) {
    const signal = options.signal;
    if (signal.aborted) result.destroy();
    else signal.addEventListener('abort', () => result.destroy(), { once: true });
  }
  return result;
}

function chooseGzip(choice: DecompressOptions['gzip'], sizeHint: number | undefined): GzipDecoder {
  if (choice === undefined || choice === 'zlib' || choice === 'igzip') return choice ?? 'zlib';
  if (sizeHint !== undefined && sizeHint < IGZIP_MIN_BYTES) return 'zlib';
  return igzipAvailable() ? 'igzip' : 'zlib';
}

/**
 * A decompressor process: input -> stdin, stdout -> caller; its exit status and stderr decide
 * `finished`. Should the child stop reading early, the rest of the input is still drained:
 * the blob stream verifies its digest only at its true end.
 */
function viaChild(input: Readable, argv: string[], compression: LayerCompression, inputError: () => unknown, explain: (err: unknown) => BuilderError): Decompressed {
  const child: ChildProcess = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr = (stderr + s).slice(-2000)));
  const inputEnded = new Promise<void>((resolve, reject) => {
    input.once('end', resolve);
    input.once('error', reject);
  });
  inputEnded.catch(() => {}); // reported by finished()
  const drain = (): void => {
    input.unpipe(child.stdin!);
    if (!input.readableEnded && !input.destroyed) input.resume();
  };
  // EPIPE when the child exits early: its exit status tells what happened.
  child.stdin!.on('error', drain).on('close', drain);
  input.pipe(child.stdin!);
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code));
  });
  const destroy = (): void => {
    input.destroy();
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    child.stdout!.destroy();
  };
  // A failed source ends everything: the child would otherwise wait for more input forever.
  input.once('error', destroy);
  const finished = async (): Promise<void> => {
    let code: number | null;
    try {
      code = await exited;
    } catch (err) {
      throw new BuilderError('INTERNAL', `${argv[0]} could not run: ${(err as Error).message}`, { cause: err });
    }
    if (inputError() !== undefined) throw explain(inputError());
    if (code !== 0) {
      input.destroy();
      throw classify(new Error(`${argv[0]}: ${stderr.trim() || `exit status ${code}`}`));
    }
    await inputEnded.catch((err: unknown) => Promise.reject(explain(err)));
  };
  return { compression, stream: child.stdout!, finished, explain, destroy };
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
