import { Transform, type TransformCallback } from 'node:stream';
import { BuilderError } from './errors.js';

/** Largest frame body either side sends or accepts. */
export const MAX_FRAME_BYTES = 4 * 1024 * 1024;

/** A frame is a protobuf varint length followed by that many bytes (protodelim framing). */
export function encodeFrame(body: Uint8Array, maxFrameBytes = MAX_FRAME_BYTES): Buffer {
  if (body.length > maxFrameBytes) {
    throw new BuilderError('FRAME_TOO_LARGE', `frame of ${body.length} bytes exceeds the ${maxFrameBytes}-byte limit`);
  }
  const header: number[] = [];
  let length = body.length;
  while (length >= 0x80) {
    header.push((length & 0x7f) | 0x80);
    length >>>= 7;
  }
  header.push(length);
  return Buffer.concat([Buffer.from(header), body]);
}

/** Varint length prefixes up to 2^35 fit in 5 bytes; a longer prefix is not a frame. */
const MAX_VARINT_BYTES = 5;

/**
 * Splits a byte stream into frame bodies. Fails with FRAME_TOO_LARGE as soon as a
 * length prefix announces more than the limit (before buffering the body), with
 * PROTOCOL_ERROR on a malformed prefix and with TRUNCATED when the stream ends
 * inside a frame.
 */
export class FrameDecoder extends Transform {
  private pending: Buffer = Buffer.alloc(0);
  private readonly maxFrameBytes: number;

  constructor(maxFrameBytes = MAX_FRAME_BYTES) {
    super({ readableObjectMode: true });
    this.maxFrameBytes = maxFrameBytes;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    try {
      this.drainFrames();
      callback();
    } catch (err) {
      callback(err as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    if (this.pending.length > 0) {
      callback(new BuilderError('TRUNCATED', `stream ended inside a frame (${this.pending.length} bytes left over)`));
      return;
    }
    callback();
  }

  private drainFrames(): void {
    for (;;) {
      const header = readLengthPrefix(this.pending);
      if (header === undefined) return;
      if (header.length > this.maxFrameBytes) {
        throw new BuilderError('FRAME_TOO_LARGE', `frame announces ${header.length} bytes, over the ${this.maxFrameBytes}-byte limit`);
      }
      const end = header.headerBytes + header.length;
      if (this.pending.length < end) return;
      this.push(this.pending.subarray(header.headerBytes, end));
      this.pending = this.pending.subarray(end);
    }
  }
}

function readLengthPrefix(buf: Buffer): { length: number; headerBytes: number } | undefined {
  let length = 0;
  for (let i = 0; i < Math.min(buf.length, MAX_VARINT_BYTES); i++) {
    const byte = buf[i] as number;
    length += (byte & 0x7f) * 2 ** (7 * i);
    if ((byte & 0x80) === 0) return { length, headerBytes: i + 1 };
  }
  if (buf.length >= MAX_VARINT_BYTES) throw new BuilderError('PROTOCOL_ERROR', 'malformed frame length prefix');
  return undefined;
}
