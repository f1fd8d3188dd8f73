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
/** The most bytes one frame takes on the wire: its prefix and body. */
export const MAX_FRAME_WIRE_BYTES = MAX_VARINT_BYTES + MAX_FRAME_BYTES;

/**
 * Bytes of unfinished frames held by all the connections of one process, bounded: a peer
 * announcing a big frame and sending it slowly holds its bytes until the frame completes,
 * and a hundred such peers must not hold a hundred frames.
 */
export class FrameBudget {
  private used = 0;
  constructor(readonly limitBytes: number) {}

  get heldBytes(): number {
    return this.used;
  }

  /** Takes `bytes`, or returns false (taking nothing) when that would pass the limit. */
  take(bytes: number): boolean {
    if (this.used + bytes > this.limitBytes) return false;
    this.used += bytes;
    return true;
  }

  release(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }
}

export interface FrameLimits {
  /** Shared by every decoder of the process; BUSY when a frame's bytes would pass it. */
  budget?: FrameBudget;
  /** A frame whose first byte arrived must be complete this long after; TIMEOUT otherwise. Idle time between frames is not limited. */
  frameTimeoutMs?: number;
}

/**
 * Splits a byte stream into frame bodies. Fails with FRAME_TOO_LARGE as soon as a
 * length prefix announces more than the limit (before buffering the body), with
 * PROTOCOL_ERROR on a malformed prefix and with TRUNCATED when the stream ends
 * inside a frame; with the limits given, with BUSY when the bytes held would pass the
 * shared budget and with TIMEOUT when a started frame does not complete in time.
 * A frame's pieces are joined once, when it is complete.
 */
export class FrameDecoder extends Transform {
  private parts: Buffer[] = [];
  private held = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly maxFrameBytes: number;

  constructor(
    maxFrameBytes = MAX_FRAME_BYTES,
    private readonly limits: FrameLimits = {},
  ) {
    super({ readableObjectMode: true });
    this.maxFrameBytes = maxFrameBytes;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const { budget } = this.limits;
    if (budget && !budget.take(chunk.length)) {
      callback(
        new BuilderError('BUSY', `unfinished frames of all connections would hold more than ${budget.limitBytes} bytes (${budget.heldBytes} held, this one ${this.held + chunk.length})`),
      );
      return;
    }
    if (this.held === 0) this.armTimer();
    this.parts.push(chunk);
    this.held += chunk.length;
    try {
      this.drainFrames();
      callback();
    } catch (err) {
      callback(err as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    if (this.held > 0) {
      callback(new BuilderError('TRUNCATED', `stream ended inside a frame (${this.held} bytes left over)`));
      return;
    }
    callback();
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    this.forget(this.held);
    callback(err);
  }

  private drainFrames(): void {
    while (this.held > 0) {
      const header = readLengthPrefix(this.head(MAX_VARINT_BYTES));
      if (header === undefined) break;
      if (header.length > this.maxFrameBytes) {
        throw new BuilderError('FRAME_TOO_LARGE', `frame announces ${header.length} bytes, over the ${this.maxFrameBytes}-byte limit`);
      }
      const end = header.headerBytes + header.length;
      if (this.held < end) break;
      const all = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.held);
      this.forget(end);
      this.parts = end < all.length ? [all.subarray(end)] : [];
      this.held = all.length - end;
      if (this.held > 0) this.armTimer();
      this.push(all.subarray(header.headerBytes, end));
    }
    this.compact();
  }

  /** A leftover that is a view into a larger buffer (a completed frame's) would keep all of it alive, uncounted: keep a copy. */
  private compact(): void {
    const only = this.parts.length === 1 ? this.parts[0]! : undefined;
    if (only !== undefined && only.buffer.byteLength > 2 * only.length + 64 * 1024) this.parts = [Buffer.from(only)];
  }

  /** The first `n` bytes held (fewer if fewer are held), joining pieces only as far as needed. */
  private head(n: number): Buffer {
    const first = this.parts[0]!;
    if (first.length >= n || this.parts.length === 1) return first;
    const joined = Buffer.concat(this.parts);
    this.parts = [joined];
    return joined;
  }

  /** `bytes` left this decoder (delivered or dropped): back to the budget; the deadline stops with the frame. */
  private forget(bytes: number): void {
    this.limits.budget?.release(bytes);
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private armTimer(): void {
    const ms = this.limits.frameTimeoutMs;
    if (ms === undefined) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.destroy(new BuilderError('TIMEOUT', `a frame started ${ms} ms ago is still incomplete (${this.held} bytes of it arrived)`));
    }, ms);
    this.timer.unref();
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
