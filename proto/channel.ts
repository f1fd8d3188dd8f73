import type { Duplex } from 'node:stream';
import { asBuilderError, type BuilderError } from './errors.js';
import { encodeFrame, FrameDecoder, MAX_FRAME_BYTES, type FrameLimits } from './frames.js';

export interface ChannelHandlers<T> {
  /** One decoded message, in stream order. */
  message(message: T): void;
  /**
   * The peer sent something that is not a frame or not a message (FRAME_TOO_LARGE,
   * TRUNCATED, PROTOCOL_ERROR). No message follows; the owner decides how to close.
   */
  broken(err: BuilderError): void;
  /** The peer is gone: its end of the stream ended, or the stream closed or failed. Called once. */
  gone(err: Error | undefined): void;
}

/** How long a closing channel waits for the peer to take its last frame before destroying the stream. */
const LINGER_MS = 1000;

/**
 * Length-delimited protobuf messages over one byte stream, the part both ends of the
 * wire share: frames in, decoded messages out; messages in, frames out.
 */
export class FramedChannel<T> {
  private readonly decoder: FrameDecoder;
  private stopped = false;
  private goneCalled = false;

  constructor(
    readonly stream: Duplex,
    decode: (body: Uint8Array) => T,
    limits: FrameLimits,
    private readonly handlers: ChannelHandlers<T>,
  ) {
    this.decoder = new FrameDecoder(MAX_FRAME_BYTES, limits);
    this.decoder.on('data', (body: Buffer) => {
      if (this.stopped) return;
      let message: T;
      try {
        message = decode(body);
      } catch (err) {
        this.fail(err);
        return;
      }
      handlers.message(message);
    });
    this.decoder.on('error', (err) => this.fail(err));
    this.decoder.on('end', () => this.markGone(undefined));
    let streamError: Error | undefined;
    stream.on('error', (err) => {
      streamError = err;
    });
    stream.on('close', () => this.afterStreamClosed(streamError));
    stream.pipe(this.decoder);
  }

  get open(): boolean {
    return !this.goneCalled && !this.stream.destroyed && this.stream.writable;
  }

  /** Frames and writes one encoded message; throws FRAME_TOO_LARGE before writing anything. */
  send(body: Uint8Array): void {
    const frame = encodeFrame(body);
    if (this.stream.writable) this.stream.write(frame);
  }

  /**
   * Stops reading, sends `lastBody` if given, ends the stream and destroys it if the peer
   * has not closed its side within a second. Whatever the peer still sends is discarded.
   */
  close(lastBody?: Uint8Array): void {
    this.stopReading();
    if (this.stream.destroyed) return;
    let frame: Buffer | undefined;
    try {
      frame = lastBody === undefined ? undefined : encodeFrame(lastBody);
    } catch {
      frame = undefined;
    }
    if (this.stream.writable) {
      if (frame === undefined) this.stream.end();
      else this.stream.end(frame);
    }
    const timer = setTimeout(() => this.stream.destroy(), LINGER_MS);
    timer.unref();
    this.stream.once('close', () => clearTimeout(timer));
  }

  destroy(): void {
    this.stopReading();
    this.stream.destroy();
  }

  private stopReading(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.stream.unpipe(this.decoder);
    // Keep draining so that a peer still writing is not blocked and its FIN is seen.
    this.stream.on('data', () => undefined);
    this.stream.resume();
  }

  private fail(err: unknown): void {
    if (this.stopped) return;
    this.stopReading();
    this.handlers.broken(asBuilderError(err, 'PROTOCOL_ERROR'));
  }

  /** Frames already read are delivered (and a partial one reported) before the peer counts as gone. */
  private afterStreamClosed(err: Error | undefined): void {
    if (this.stopped || this.decoder.readableEnded) {
      this.markGone(err);
      return;
    }
    this.decoder.once('end', () => this.markGone(err));
    this.decoder.once('error', () => this.markGone(err));
    if (!this.decoder.writableEnded) this.decoder.end();
  }

  private markGone(err: Error | undefined): void {
    if (this.goneCalled) return;
    this.goneCalled = true;
    this.handlers.gone(err);
  }
}
