// Compressed layer bytes -> uncompressed tar bytes.
//
// The format is sniffed from the magic bytes, as containerd and Docker do; the
// media type only names a default. gzip runs in node:zlib (libuv thread pool)
// or in an `igzip -dc` child process (ISA-L), zstd in zstd-napi; either way
// the decompression runs off the main thread... except zstd-napi, which is
// synchronous per chunk and fast enough that a child buys nothing (README).
// Truncated input fails with TRUNCATED, corrupt input with INVALID_LAYER; an
// error of the input stream itself (e.g. a digest mismatch from the registry
// side) is reported as it is, never masked by the decompressor's complaint.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { pipeline, Readable, type Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { DecompressStream } from 'zstd-napi';
import { BuilderError, asBuilderError } from '../../proto/errors.js';
import type { LayerCompression } from '../oci/types.js';

export type GzipDecoder = 'zlib' | 'igzip';

export interface DecompressOptions {
  /** Which gzip decoder; 'auto' (default) is igzip when installed, else zlib. */
  gzip?: GzipDecoder | 'auto';
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

/** zlib hands out chunks of this size; larger chunks mean fewer thread-pool round trips (measured: 64 KiB -> 256 KiB halves gunzip time). */
const ZLIB_CHUNK = 256 * 1024;

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
  let inputError: unknown;
  input.once('error', (err) => (inputError ??= err));
  const explain = (err: unknown): BuilderError => (inputError !== undefined ? asBuilderError(inputError, 'INVALID_LAYER') : classify(err));

  let result: Decompressed;
  if (compression === 'none') {
    const finished = (): Promise<void> => (inputError !== undefined ? Promise.reject(explain(inputError)) : Promise.resolve());
    result = { compression, stream: input, finished, explain, destroy: () => input.destroy() };
  } else if (compression === 'gzip' && chooseGzip(options.gzip) === 'igzip') {
    result = viaChild(input, ['igzip', '-dc'], compression, () => inputError, explain);
  } else {
    const transform: Transform = compression === 'gzip' ? createGunzip({ chunkSize: ZLIB_CHUNK }) : new DecompressStream();
    pipeline(input, transform, () => {});
    result = { compression, stream: transform, finished: () => Promise.resolve(), explain, destroy: () => (input.destroy(), transform.destroy()) };
  }
  if (options.signal) {
    const signal = options.signal;
    if (signal.aborted) result.destroy();
    else signal.addEventListener('abort', () => result.destroy(), { once: true });
  }
  return result;
}

function chooseGzip(choice: DecompressOptions['gzip']): GzipDecoder {
  if (choice === 'zlib' || choice === 'igzip') return choice;
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
