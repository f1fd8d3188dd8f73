import type { Duplex } from 'node:stream';
import { logLevelToWire, errorCodeToWire } from '../../core/wire.js';
import type { Logger } from '../../core/progress.js';
import { decodeRequest, encodeEvent, PROTOCOL_VERSION, type IEvent, type IHelloEvent, type RequestMessage } from '../../proto/builder.js';
import { FramedChannel } from '../../proto/channel.js';
import type { FrameLimits } from '../../proto/frames.js';
import { BuilderError, isBuilderError } from '../../proto/errors.js';
import type { erofsbuilder } from '../../proto/v1.js';
import type { ConversionSlot, Outcome, RunningConversion } from './conversion.js';
import { ProgressThrottle } from './progress-throttle.js';
import type { ConvertRequestMessage } from './types.js';

export interface SessionContext {
  slot: ConversionSlot;
  /** The agent's answer to a compatible hello. */
  hello: IHelloEvent;
  /** A connection that has not said hello within this time is closed. */
  handshakeTimeoutMs: number;
  /** Bounds on unfinished frames: a per-frame deadline and a budget shared by all connections. */
  frameLimits: FrameLimits;
  log: Logger;
}

/**
 * One client connection: hello first, then Convert / Cancel / Ping in any order. Anything
 * the connection does wrong closes only this connection, after an Error event saying why.
 */
export class Session {
  private readonly channel: FramedChannel<RequestMessage>;
  private greeted = false;
  private running: { conversion: RunningConversion; throttle: ProgressThrottle } | undefined;
  private readonly handshakeTimer: NodeJS.Timeout;
  readonly closed: Promise<void>;

  constructor(
    stream: Duplex,
    private readonly ctx: SessionContext,
    readonly name: string,
  ) {
    let markClosed!: () => void;
    this.closed = new Promise((resolve) => (markClosed = resolve));
    this.channel = new FramedChannel(stream, decodeRequest, ctx.frameLimits, {
      message: (request) => this.onRequest(request),
      broken: (err) => this.closeWithError(err),
      gone: (err) => {
        this.onGone(err);
        markClosed();
      },
    });
    this.handshakeTimer = setTimeout(
      () => this.closeWithError(new BuilderError('TIMEOUT', `no hello within ${ctx.handshakeTimeoutMs} ms`)),
      ctx.handshakeTimeoutMs,
    );
    this.handshakeTimer.unref();
  }

  /** Ends the connection (agent shutdown); a running conversion has been answered by then. */
  close(): void {
    clearTimeout(this.handshakeTimer);
    this.channel.close();
  }

  private onRequest(request: RequestMessage): void {
    const kind = request.kind;
    if (!this.greeted) {
      if (kind !== 'hello' || request.hello == null) {
        this.closeWithError(new BuilderError('PROTOCOL_ERROR', `expected hello first, got ${kind ?? 'an empty request'}`));
        return;
      }
      this.onHello(request.hello);
      return;
    }
    switch (kind) {
      case 'convert':
        // Decoded sub-messages are ConvertRequest instances (defaults on the prototype);
        // the generated typings only say "properties".
        this.onConvert(request.convert as ConvertRequestMessage);
        return;
      case 'cancel':
        // A cancel with nothing running (e.g. racing the final event) is ignored.
        this.running?.conversion.controller.abort(new BuilderError('CANCELLED', 'cancelled by the client'));
        return;
      case 'ping':
        this.send({ pong: { nonce: request.ping?.nonce ?? 0n } });
        return;
      default:
        this.closeWithError(new BuilderError('PROTOCOL_ERROR', kind === 'hello' ? 'hello sent twice' : 'request without a kind'));
    }
  }

  private onHello(hello: erofsbuilder.v1.IHelloRequest): void {
    clearTimeout(this.handshakeTimer);
    const version = hello.protocol_version ?? 0;
    const ours: number = PROTOCOL_VERSION;
    if (version !== ours) {
      this.ctx.log('warn', `${this.name}: refusing client '${hello.client ?? ''}' speaking protocol ${version}`);
      this.closeWithError(new BuilderError('VERSION_MISMATCH', `agent speaks protocol ${PROTOCOL_VERSION}, client ${version}`));
      return;
    }
    this.greeted = true;
    this.ctx.log('debug', `${this.name}: hello from '${hello.client ?? ''}'`);
    this.send({ hello: this.ctx.hello });
  }

  private onConvert(request: ConvertRequestMessage): void {
    const throttle = new ProgressThrottle((progress) => this.send({ progress }));
    const conversion =
      this.running === undefined
        ? this.ctx.slot.tryStart(request, {
            progress: (update) => throttle.push(update),
            log: (level, message) => this.send({ log: { level: logLevelToWire(level), message } }),
          })
        : undefined;
    if (conversion === undefined) {
      this.ctx.log('info', `${this.name}: refusing ${request.image_ref}: a conversion is already running`);
      this.sendError(new BuilderError('BUSY', 'this agent is already running a conversion'));
      return;
    }
    this.ctx.log('info', `${this.name}: converting ${request.image_ref}`);
    const startedAt = performance.now();
    this.running = { conversion, throttle };
    void conversion.outcome.then((outcome) => {
      throttle.finish();
      if (this.running?.conversion === conversion) this.running = undefined;
      this.logOutcome(request, outcome, performance.now() - startedAt);
      if ('result' in outcome) this.sendResult(outcome);
      else this.sendError(outcome.error);
    });
  }

  private logOutcome(request: ConvertRequestMessage, outcome: Outcome, millis: number): void {
    const took = `${Math.round(millis)} ms`;
    if ('result' in outcome) this.ctx.log('info', `${this.name}: ${request.image_ref} -> ${outcome.result.path ?? ''} in ${took}`);
    else this.ctx.log('info', `${this.name}: ${request.image_ref} failed after ${took}: ${outcome.error.code}: ${outcome.error.message}`);
  }

  private sendResult(outcome: { result: NonNullable<IEvent['result']> }): void {
    try {
      this.send({ result: outcome.result }, true);
    } catch (err) {
      this.sendError(isBuilderError(err) ? err : new BuilderError('INTERNAL', `cannot send the result: ${String(err)}`));
    }
  }

  private sendError(err: BuilderError): void {
    this.send({ error: { code: errorCodeToWire(err.code), message: err.message } });
  }

  /** Sends an event if the connection is still open; with `rethrow`, an unencodable event throws. */
  private send(event: IEvent, rethrow = false): void {
    if (!this.channel.open) return;
    try {
      this.channel.send(encodeEvent(event));
    } catch (err) {
      if (rethrow) throw err;
      this.ctx.log('error', `${this.name}: cannot send an event: ${String(err)}`);
    }
  }

  private closeWithError(err: BuilderError): void {
    clearTimeout(this.handshakeTimer);
    this.ctx.log('warn', `${this.name}: closing: ${err.code}: ${err.message}`);
    this.channel.close(encodeEvent({ error: { code: errorCodeToWire(err.code), message: err.message } }));
    this.abortRunning('the connection was closed');
  }

  private onGone(err: Error | undefined): void {
    clearTimeout(this.handshakeTimer);
    if (this.running !== undefined) this.ctx.log('info', `${this.name}: client went away${err ? ` (${err.message})` : ''}; cancelling its conversion`);
    this.abortRunning('the client disconnected');
    this.channel.destroy();
  }

  private abortRunning(why: string): void {
    this.running?.conversion.controller.abort(new BuilderError('CANCELLED', `cancelled: ${why}`));
  }
}
