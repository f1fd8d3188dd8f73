// Decompression of layer blobs: formats by magic, broken input, errors of the
// source stream, and abort on a source that stalls.
import { PassThrough, Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { compress as zstdCompress } from 'zstd-napi';
import { decompress, type DecompressOptions } from '../agent/layers/decompress.js';
import { BuilderError } from '../proto/errors.js';
import { contentBytes } from '../testkit/fixtures/index.js';

async function inflate(source: Buffer | Readable, options: DecompressOptions = {}): Promise<{ bytes: Buffer; compression: string }> {
  const dec = await decompress(Buffer.isBuffer(source) ? chunked(source) : source, options);
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of dec.stream as AsyncIterable<Buffer>) chunks.push(chunk);
  } catch (err) {
    throw dec.explain(err);
  }
  await dec.finished();
  return { bytes: Buffer.concat(chunks), compression: dec.compression };
}

/** A source that hands out 64 KiB pieces, like a socket or a file stream. */
function chunked(bytes: Buffer): Readable {
  const pieces: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 65536) pieces.push(bytes.subarray(i, i + 65536));
  return Readable.from(pieces, { objectMode: false });
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(BuilderError);
    return (err as BuilderError).code;
  }
  return 'no error';
}

const plain = Buffer.concat([contentBytes({ size: 3 << 20, seed: 7 }), Buffer.alloc(2 << 20, 'a')]);
const gzip = gzipSync(plain);
const zstd = zstdCompress(plain);

describe('decompress', () => {
  it('finds the format by its magic bytes and inflates it', async () => {
    for (const [bytes, format] of [
      [gzip, 'gzip'],
      [zstd, 'zstd'],
      [plain, 'none'],
    ] as const) {
      const out = await inflate(bytes);
      expect(out.compression).toBe(format);
      expect(out.bytes.equals(plain)).toBe(true);
    }
  });

  it('gzip: inflates multi-member gzip, fails truncated input with TRUNCATED and garbage with INVALID_LAYER', async () => {
    const twoMembers = Buffer.concat([gzipSync(plain.subarray(0, 1000)), gzipSync(plain.subarray(1000))]);
    expect((await inflate(twoMembers)).bytes.equals(plain)).toBe(true);
    expect(await codeOf(inflate(gzip.subarray(0, gzip.length >> 1)))).toBe('TRUNCATED');
    expect(await codeOf(inflate(gzip.subarray(0, 100)))).toBe('TRUNCATED');
    const corrupt = Buffer.from(gzip);
    for (let i = 1000; i < 1100; i++) corrupt[i] = corrupt[i]! ^ 0xa5;
    expect(await codeOf(inflate(corrupt))).toBe('INVALID_LAYER');
  });

  it('gzip: reports an error of the source stream as it is, not as a decompression failure', async () => {
    const source = new PassThrough();
    source.write(gzip.subarray(0, 200_000));
    setTimeout(() => source.destroy(new BuilderError('DIGEST_MISMATCH', 'blob digest does not match')), 50);
    expect(await codeOf(inflate(source))).toBe('DIGEST_MISMATCH');
  });

  it('gzip: refuses bytes after the last member (INVALID_LAYER): nothing unverified is accepted', async () => {
    const withTail = Buffer.concat([gzip, Buffer.alloc(300_000, 'x')]);
    expect(await codeOf(inflate(withTail))).toBe('INVALID_LAYER');
  });

  it('zstd: fails truncated input with TRUNCATED and garbage with INVALID_LAYER', async () => {
    expect(await codeOf(inflate(zstd.subarray(0, zstd.length >> 1)))).toBe('TRUNCATED');
    // Frame and block headers after the magic: zstd stores incompressible data raw,
    // so flipped bits there would only change the output (the diff_id check catches that).
    const corrupt = Buffer.from(zstd);
    for (let i = 4; i < 12; i++) corrupt[i] = corrupt[i]! ^ 0xa5;
    expect(await codeOf(inflate(corrupt))).toBe('INVALID_LAYER');
  });

  it('never hangs on a source that stalls: aborting ends the stream and destroys the source', async () => {
    const source = new PassThrough();
    source.write(gzip.subarray(0, 100_000)); // and then nothing, ever
    const controller = new AbortController();
    const dec = await decompress(source, { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const consumed = (async () => {
      for await (const _ of dec.stream as AsyncIterable<Buffer>) void _;
    })();
    controller.abort();
    await expect(consumed).rejects.toThrow();
    expect(source.destroyed).toBe(true);
  });

  it('handles an empty source (an empty, uncompressed blob)', async () => {
    const out = await inflate(Buffer.alloc(0));
    expect(out).toEqual({ bytes: Buffer.alloc(0), compression: 'none' });
  });
});
