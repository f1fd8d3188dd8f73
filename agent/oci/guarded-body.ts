// A response body with the guards node's http module and node-fetch v2 lack:
// an idle timeout that only runs while the consumer is waiting for bytes
// (a body paused by backpressure is not "stalled"), a byte limit enforced
// while reading, cancellation, and an error (not a silent hang) when the
// connection closes before the body is complete.
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { BuilderError } from '../../proto/errors.js';

export interface BodyGuards {
  /** Longest wait for the next bytes while the consumer wants them. */
  idleTimeoutMs: number;
  /** Fail once more than this many bytes arrived (Infinity: no limit). */
  maxBytes: number;
  tooLarge: (limit: number) => BuilderError;
  signal?: AbortSignal;
  /** Names the request in error messages. */
  label: string;
  /** Told about every failure, before the stream errors (the library wraps stream errors; this keeps the original). */
  onFailure?: (err: BuilderError) => void;
}

export class GuardedBody extends Readable {
  private timer: NodeJS.Timeout | undefined;
  private received = 0;
  private ended = false;
  private readonly onAbort = (): void => this.fail(new BuilderError('CANCELLED', `${this.guards.label}: cancelled`));

  constructor(
    private readonly source: IncomingMessage,
    private readonly guards: BodyGuards,
    highWaterMark?: number,
  ) {
    super(highWaterMark !== undefined ? { highWaterMark } : {});
    source.on('data', (chunk: Buffer) => this.onData(chunk));
    source.on('end', () => {
      this.ended = true;
      this.clearTimer();
      this.push(null);
    });
    source.on('error', (err) => this.fail(this.connectionLost(err)));
    source.on('close', () => {
      if (!this.ended) this.fail(this.connectionLost());
    });
    source.pause();
    if (guards.signal?.aborted) queueMicrotask(this.onAbort);
    else guards.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  override _read(): void {
    if (this.ended) return;
    this.armTimer();
    this.source.resume();
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    this.clearTimer();
    this.guards.signal?.removeEventListener('abort', this.onAbort);
    this.source.destroy();
    callback(err);
  }

  private onData(chunk: Buffer): void {
    if (this.destroyed) return;
    this.clearTimer();
    this.received += chunk.length;
    if (this.received > this.guards.maxBytes) {
      this.fail(this.guards.tooLarge(this.guards.maxBytes));
      return;
    }
    if (this.push(chunk)) this.armTimer();
    else this.source.pause();
  }

  private fail(err: BuilderError): void {
    if (this.destroyed) return;
    this.guards.onFailure?.(err);
    this.destroy(err);
  }

  private connectionLost(cause?: Error): BuilderError {
    const why = cause ? `: ${cause.message}` : '';
    return new BuilderError('REGISTRY_ERROR', `${this.guards.label}: connection closed after ${this.received} body bytes${why}`, { cause });
  }

  private armTimer(): void {
    this.clearTimer();
    const ms = this.guards.idleTimeoutMs;
    this.timer = setTimeout(() => {
      this.fail(new BuilderError('TIMEOUT', `${this.guards.label}: no body bytes for ${ms} ms`));
    }, ms);
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
