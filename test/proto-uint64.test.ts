// 64-bit fields as builder.proto declares them: nonces exact over the whole uint64
// range, every other uint64 at most 2^53-1 (refused beyond it on decode, never sent).
import { describe, expect, it } from 'vitest';
import { decodeEvent, decodeRequest, encodeEvent, encodeRequest } from '../proto/builder.js';
import { BuilderError } from '../proto/errors.js';

/** A protobuf varint, written by hand: our encoder refuses out-of-range values. */
function varint(value: bigint): number[] {
  const bytes: number[] = [];
  for (; value >= 0x80n; value >>= 7n) bytes.push(Number(value & 0x7fn) | 0x80);
  return [...bytes, Number(value)];
}

/** An Event{result: Result{size_bytes: value}} as bytes (Event.result = 4, Result.size_bytes = 2). */
function resultWithSize(value: bigint): Buffer {
  const result = Buffer.from([0x10, ...varint(value)]);
  return Buffer.concat([Buffer.from([0x22, result.length]), result]);
}

function failure(fn: () => unknown): BuilderError {
  try {
    fn();
  } catch (err) {
    return err as BuilderError;
  }
  throw new Error('no error');
}

describe('uint64 fields', () => {
  it('a nonce round-trips exactly: 0, 2^53+1, 2^63, 2^64-1', () => {
    for (const nonce of [1n, 2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 1n]) {
      expect(decodeRequest(encodeRequest({ ping: { nonce } })).ping?.nonce).toBe(nonce);
      expect(decodeEvent(encodeEvent({ pong: { nonce } })).pong?.nonce).toBe(nonce);
    }
  });

  it('sizes up to 2^53-1 arrive as numbers; an absent one is the number 0', () => {
    expect(decodeEvent(resultWithSize(2n ** 53n - 1n)).result?.size_bytes).toBe(Number.MAX_SAFE_INTEGER);
    expect(decodeEvent(encodeEvent({ result: { path: 'a' } })).result?.size_bytes).toBe(0);
    expect(decodeEvent(encodeEvent({ progress: { bytes_done: 5, bytes_total: 2 ** 40 } })).progress).toMatchObject({ bytes_done: 5, bytes_total: 2 ** 40 });
  });

  it('a size over 2^53-1 is refused with PROTOCOL_ERROR naming the field and the exact value', () => {
    for (const value of [2n ** 53n, 2n ** 53n + 1n, 2n ** 64n - 1n]) {
      const err = failure(() => decodeEvent(resultWithSize(value)));
      expect({ code: err.code, message: err.message }).toEqual({ code: 'PROTOCOL_ERROR', message: `event.result.size_bytes is ${value}, over 2^53-1, the most builder.proto allows in this field` });
    }
  });

  it('never sends what the peer would refuse or read differently: INVALID_ARGUMENT', () => {
    expect(failure(() => encodeEvent({ progress: { bytes_done: 2 ** 53 } }))).toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('event.progress.bytes_done') as unknown });
    expect(failure(() => encodeRequest({ convert: { image_ref: 'x', size_limit_bytes: 1.5 } }))).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(failure(() => encodeRequest({ ping: { nonce: 2n ** 64n } }))).toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('outside the uint64 range') as unknown });
  });
});
