import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { decodeEvent, decodeRequest, encodeEvent, encodeRequest, PROTOCOL_VERSION } from '../proto/builder.js';
import { BuilderError } from '../proto/errors.js';
import { encodeFrame, FrameBudget, FrameDecoder, MAX_FRAME_BYTES } from '../proto/frames.js';
import { errorCodeFromWire, errorCodeToWire } from '../core/wire.js';

async function decodeAll(chunks: Buffer[], max?: number): Promise<Buffer[]> {
  const decoder = new FrameDecoder(max);
  const out: Buffer[] = [];
  Readable.from(chunks).pipe(decoder);
  for await (const frame of decoder) out.push(frame as Buffer);
  return out;
}

async function decodeError(chunks: Buffer[], max?: number): Promise<BuilderError> {
  try {
    await decodeAll(chunks, max);
  } catch (err) {
    expect(err).toBeInstanceOf(BuilderError);
    return err as BuilderError;
  }
  throw new Error('expected the decoder to fail');
}

describe('frame codec', () => {
  it('round-trips requests and events, split at every byte boundary', async () => {
    const hello = encodeRequest({ hello: { protocol_version: PROTOCOL_VERSION, client: 'test' } });
    const convert = encodeRequest({ convert: { image_ref: '127.0.0.1:5000/a:b', registry: { insecure: true }, timeout_seconds: 30 } });
    const stream = Buffer.concat([encodeFrame(hello), encodeFrame(convert), encodeFrame(new Uint8Array(0))]);
    for (let split = 0; split <= stream.length; split++) {
      const frames = await decodeAll([stream.subarray(0, split), stream.subarray(split)]);
      expect(frames).toHaveLength(3);
      expect(decodeRequest(frames[0]!).hello?.client).toBe('test');
      expect(decodeRequest(frames[1]!).convert?.image_ref).toBe('127.0.0.1:5000/a:b');
      expect(decodeRequest(frames[1]!).convert?.registry?.insecure).toBe(true);
      expect(frames[2]!.length).toBe(0);
    }
  });

  it('carries a large uint64 and the error enum through an event', () => {
    const body = encodeEvent({ result: { size_bytes: 2 ** 40 + 4096, sha256: 'sha256:00' } });
    expect(decodeEvent(body).result?.size_bytes).toBe(2 ** 40 + 4096);
    const err = decodeEvent(encodeEvent({ error: { code: errorCodeToWire('DIGEST_MISMATCH'), message: 'x' } }));
    expect(errorCodeFromWire(err.error?.code ?? 0)).toBe('DIGEST_MISMATCH');
  });

  it('uses multi-byte varint prefixes for large frames', async () => {
    const body = Buffer.alloc(300_000, 7);
    const frame = encodeFrame(body);
    expect(frame.length).toBe(body.length + 3);
    const [decoded] = await decodeAll([frame]);
    expect(decoded!.equals(body)).toBe(true);
  });

  it('accepts a frame of exactly the limit and refuses one byte more on both sides', async () => {
    const atLimit = Buffer.alloc(MAX_FRAME_BYTES, 1);
    expect((await decodeAll([encodeFrame(atLimit)]))[0]!.length).toBe(MAX_FRAME_BYTES);
    expect(() => encodeFrame(Buffer.alloc(MAX_FRAME_BYTES + 1))).toThrow(/exceeds/);
    const prefixOnly = encodeFrame(Buffer.alloc(0)).subarray(0, 0);
    const oversizedPrefix = Buffer.from([0x81, 0x80, 0x80, 0x02]); // 4 MiB + 1
    const err = await decodeError([prefixOnly, oversizedPrefix]);
    expect(err.code).toBe('FRAME_TOO_LARGE');
  });

  it('refuses an oversized frame from its prefix alone, before the body arrives', async () => {
    const decoder = new FrameDecoder(1024);
    const input = new PassThrough();
    input.pipe(decoder);
    const failed = new Promise<BuilderError>((resolve) => decoder.on('error', (e) => resolve(e as BuilderError)));
    input.write(Buffer.from([0x81, 0x08])); // 1025, with no body sent
    expect((await failed).code).toBe('FRAME_TOO_LARGE');
  });

  it('reports a stream that ends inside a frame body or prefix as TRUNCATED', async () => {
    const frame = encodeFrame(Buffer.alloc(200, 3));
    expect((await decodeError([frame.subarray(0, 50)])).code).toBe('TRUNCATED');
    expect((await decodeError([frame.subarray(0, 1)])).code).toBe('TRUNCATED');
  });

  it('rejects a length prefix longer than five bytes', async () => {
    const err = await decodeError([Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x01])]);
    expect(err.code).toBe('PROTOCOL_ERROR');
  });

  it('rejects a body that is not a protobuf message', () => {
    expect(() => decodeRequest(Buffer.from([0x0a, 0xff, 0xff]))).toThrow(BuilderError);
  });
});

describe('64-bit fields', () => {
  it('decode to plain numbers, including absent ones', () => {
    const decoded = decodeEvent(encodeEvent({ progress: { bytes_done: 5 } }));
    expect(decoded.progress?.bytes_done).toBe(5);
    expect(decoded.progress?.bytes_total).toBe(0);
  });

  it('a frame split into many pieces arrives whole (joined once), pieces of several frames too', async () => {
    const bodies = [Buffer.alloc(1_000_000, 1), Buffer.alloc(3, 2), Buffer.alloc(70_000, 3)];
    const stream = Buffer.concat(bodies.map((body) => encodeFrame(body)));
    const pieces: Buffer[] = [];
    for (let i = 0; i < stream.length; i += 4093) pieces.push(stream.subarray(i, i + 4093));
    const frames = await decodeAll(pieces);
    expect(frames.map((frame) => frame.length)).toEqual([1_000_000, 3, 70_000]);
    expect(frames.every((frame, i) => frame.equals(bodies[i]!))).toBe(true);
  });
});

describe('frame limits', () => {
  it('charges unfinished frames to a shared budget, gives the bytes back when a frame completes or the decoder goes', async () => {
    const budget = new FrameBudget(10_000);
    const a = new FrameDecoder(MAX_FRAME_BYTES, { budget });
    const b = new FrameDecoder(MAX_FRAME_BYTES, { budget });
    const failed = new Promise<BuilderError>((resolve) => b.on('error', (e) => resolve(e as BuilderError)));
    const frames: Buffer[] = [];
    a.on('data', (frame: Buffer) => frames.push(frame));
    const frame = encodeFrame(Buffer.alloc(6_000, 1));
    a.write(frame.subarray(0, 5_000));
    await new Promise(setImmediate);
    expect(budget.heldBytes).toBe(5_000);
    b.write(frame.subarray(0, 5_001)); // 10 001 held together: refused, and b holds nothing
    expect((await failed).code).toBe('BUSY');
    expect(budget.heldBytes).toBe(5_000);
    a.write(frame.subarray(5_000));
    await new Promise(setImmediate);
    expect(frames.map((f) => f.length)).toEqual([6_000]);
    expect(budget.heldBytes).toBe(0);
    a.write(frame.subarray(0, 100));
    await new Promise(setImmediate);
    expect(budget.heldBytes).toBe(100);
    a.destroy();
    await new Promise(setImmediate);
    expect(budget.heldBytes).toBe(0);
  });

  it('fails a frame that does not complete within its deadline with TIMEOUT; no deadline between frames', async () => {
    const decoder = new FrameDecoder(MAX_FRAME_BYTES, { frameTimeoutMs: 100 });
    const failed = new Promise<BuilderError>((resolve) => decoder.on('error', (e) => resolve(e as BuilderError)));
    decoder.on('data', () => undefined);
    decoder.write(encodeFrame(Buffer.alloc(10, 1)));
    await new Promise((resolve) => setTimeout(resolve, 300)); // idle between frames: fine
    expect(decoder.destroyed).toBe(false);
    decoder.write(encodeFrame(Buffer.alloc(10, 1)).subarray(0, 5));
    const err = await failed;
    expect({ code: err.code, message: err.message }).toEqual({ code: 'TIMEOUT', message: 'a frame started 100 ms ago is still incomplete (5 bytes of it arrived)' });
  });
});

