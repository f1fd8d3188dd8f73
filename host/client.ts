import type { Duplex } from 'node:stream';
import {
  decodeEvent,
  encodeRequest,
  PROTOCOL_VERSION,
  type DiskFormatValue,
  type EventMessage,
  type IConvertRequest,
  type IProgress,
  type IRequest,
  type IResult,
} from '../proto/builder.js';
import { FramedChannel } from '../proto/channel.js';
import { BuilderError } from '../proto/errors.js';
import { PACKAGE_VERSION } from '../core/version.js';
import { dialAgent, type AgentAddress, type DialOptions } from './dial.js';
import { errorCodeFromWire } from '../core/wire.js';

/** What the agent announced in its hello. */
export interface AgentInfo {
  protocolVersion: number;
  agentVersion: string;
  erofsUtilsVersion: string;
  compressions: string[];
  formats: DiskFormatValue[];
}

export interface HandshakeOptions {
  /** Default 10 000. */
  handshakeTimeoutMs?: number;
  /** Sent in the hello; default builder-host/<version>. */
  clientName?: string;
}

export type ConnectOptions = DialOptions & HandshakeOptions;

export interface ConvertOptions {
  onProgress?: (progress: IProgress) => void;
  /** `level` is the proto's Log.Level number. */
  onLog?: (level: number, message: string) => void;
  /** Aborting sends Cancel; convert() then rejects with CANCELLED. */
  signal?: AbortSignal;
  /**
   * Overall bound; when it elapses the client sends Cancel and rejects with TIMEOUT. Also
   * sent as timeout_seconds unless the request sets one.
   */
  timeoutMs?: number;
  /** After a Cancel, how long to wait for the agent's final event before closing the connection. Default 10 000. */
  cancelGraceMs?: number;
}

interface InFlight {
  resolve(result: IResult): void;
  reject(err: BuilderError): void;
  options: ConvertOptions;
  /** Set once the client has asked the agent to stop: the reason convert() reports. */
  stopReason?: BuilderError;
  graceTimer?: NodeJS.Timeout;
  settled: Promise<void>;
}

/** An agent that started an event frame must finish it within this time: one stalled mid-frame fails with TIMEOUT, not at the conversion's deadline. */
const FRAME_TIMEOUT_MS = 30_000;

/**
 * A connection to one agent after a successful handshake. One conversion at a time per
 * client (the protocol has no request ids: a second Convert's answer could not be told
 * apart from the first's); pings may interleave.
 */
export class AgentClient {
  private readonly channel: FramedChannel<EventMessage>;
  private hello: { resolve(info: AgentInfo): void; reject(err: BuilderError): void } | undefined;
  private inFlight: InFlight | undefined;
  private readonly pings = new Map<bigint, { resolve(): void; reject(err: BuilderError): void }>();
  private nextNonce = 1n;
  private failure: BuilderError | undefined;
  /** An Error the agent sent outside a conversion (e.g. before it closes the connection). */
  private agentError: BuilderError | undefined;
  private info: AgentInfo | undefined;

  private constructor(stream: Duplex) {
    this.channel = new FramedChannel(stream, decodeEvent, { frameTimeoutMs: FRAME_TIMEOUT_MS }, {
      message: (event) => this.onEvent(event),
      broken: (err) => this.fail(new BuilderError(err.code, `the agent sent an invalid frame: ${err.message}`), true),
      gone: (err) => {
        const closed = `the agent closed the connection${this.inFlight ? ' before the final event of the conversion' : ''}`;
        const why = this.agentError ? `${closed}: ${this.agentError.message}` : `${closed}${err ? ` (${err.message})` : ''}`;
        this.fail(new BuilderError(this.agentError?.code ?? 'AGENT_UNAVAILABLE', why), false);
      },
    });
  }

  /** Dials the agent and completes the handshake. */
  static async connect(address: AgentAddress | string, options: ConnectOptions = {}): Promise<AgentClient> {
    const stream = await dialAgent(address, options);
    return AgentClient.handshake(stream, options);
  }

  /** Says hello over an already dialed stream; refuses an agent of another protocol version (VERSION_MISMATCH). */
  static async handshake(stream: Duplex, options: HandshakeOptions = {}): Promise<AgentClient> {
    const client = new AgentClient(stream);
    const timeoutMs = options.handshakeTimeoutMs ?? 10_000;
    let timer: NodeJS.Timeout | undefined;
    try {
      client.info = await new Promise<AgentInfo>((resolve, reject) => {
        client.hello = { resolve, reject };
        timer = setTimeout(() => reject(new BuilderError('TIMEOUT', `no hello from the agent within ${timeoutMs} ms`)), timeoutMs);
        client.send({ hello: { protocol_version: PROTOCOL_VERSION, client: options.clientName ?? `builder-host/${PACKAGE_VERSION}` } });
      });
    } catch (err) {
      client.close();
      throw err;
    } finally {
      clearTimeout(timer);
      client.hello = undefined;
    }
    const ours: number = PROTOCOL_VERSION;
    if (client.info.protocolVersion !== ours) {
      client.close();
      throw new BuilderError('VERSION_MISMATCH', `agent ${client.info.agentVersion} speaks protocol ${client.info.protocolVersion}, this host ${ours}`);
    }
    return client;
  }

  get agent(): AgentInfo {
    return this.info!;
  }

  /** Runs one conversion; resolves with the agent's Result or rejects with a BuilderError carrying the agent's code. */
  convert(request: IConvertRequest, options: ConvertOptions = {}): Promise<IResult> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.inFlight) return Promise.reject(new BuilderError('BUSY', 'this client is already running a conversion'));
    const timeoutMs = options.timeoutMs;
    const timeoutSeconds = request.timeout_seconds || (timeoutMs === undefined ? 0 : Math.ceil(timeoutMs / 1000));
    return new Promise<IResult>((resolve, reject) => {
      let markSettled!: () => void;
      const inFlight: InFlight = { resolve, reject, options, settled: new Promise((done) => (markSettled = done)) };
      let timer: NodeJS.Timeout | undefined;
      const onAbort = (): void => this.stop(new BuilderError('CANCELLED', 'conversion cancelled by the caller'));
      const cleanup = (): void => {
        clearTimeout(timer);
        clearTimeout(inFlight.graceTimer);
        options.signal?.removeEventListener('abort', onAbort);
        if (this.inFlight === inFlight) this.inFlight = undefined;
        markSettled();
      };
      inFlight.resolve = (result) => {
        cleanup();
        resolve(result);
      };
      inFlight.reject = (err) => {
        cleanup();
        reject(err);
      };
      this.inFlight = inFlight;
      this.send({ convert: { ...request, timeout_seconds: timeoutSeconds } });
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => this.stop(new BuilderError('TIMEOUT', `conversion did not finish within ${timeoutMs} ms`)), timeoutMs);
      }
      if (options.signal?.aborted) onAbort();
      else options.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Cancels the running conversion and waits for its final event (resolves at once if none runs). */
  async cancel(): Promise<void> {
    const inFlight = this.inFlight;
    if (inFlight === undefined) return;
    this.stop(new BuilderError('CANCELLED', 'conversion cancelled by the caller'));
    await inFlight.settled;
  }

  /** Round trip to the agent; resolves with the time it took in milliseconds. */
  async ping(timeoutMs = 5000): Promise<number> {
    if (this.failure) throw this.failure;
    const nonce = this.nextNonce++;
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        this.pings.set(nonce, { resolve, reject });
        timer = setTimeout(() => reject(new BuilderError('TIMEOUT', `no pong within ${timeoutMs} ms`)), timeoutMs);
        this.send({ ping: { nonce } });
      });
    } finally {
      clearTimeout(timer);
      this.pings.delete(nonce);
    }
    return performance.now() - started;
  }

  /** Closes the connection; a running conversion rejects with CANCELLED (the agent cancels it when the connection drops). */
  close(): void {
    this.fail(new BuilderError('CANCELLED', 'the client closed the connection'), true);
  }

  /** Asks the agent to stop the running conversion; convert() will report `reason`. */
  private stop(reason: BuilderError): void {
    const inFlight = this.inFlight;
    if (inFlight === undefined || inFlight.stopReason !== undefined) return;
    inFlight.stopReason = reason;
    this.send({ cancel: {} });
    const graceMs = inFlight.options.cancelGraceMs ?? 10_000;
    inFlight.graceTimer = setTimeout(
      () => this.fail(new BuilderError(reason.code, `${reason.message}; the agent did not confirm within ${graceMs} ms`), true),
      graceMs,
    );
  }

  private onEvent(event: EventMessage): void {
    switch (event.kind) {
      case 'hello': {
        const hello = event.hello!;
        if (this.hello === undefined) return this.protocolError('hello outside the handshake');
        this.hello.resolve({
          protocolVersion: hello.protocol_version ?? 0,
          agentVersion: hello.agent_version ?? '',
          erofsUtilsVersion: hello.erofs_utils_version ?? '',
          compressions: hello.compressions ?? [],
          formats: hello.formats ?? [],
        });
        return;
      }
      case 'progress':
        if (this.inFlight && !this.inFlight.stopReason) this.inFlight.options.onProgress?.(event.progress!);
        return;
      case 'log':
        if (this.inFlight) this.inFlight.options.onLog?.(event.log!.level ?? 0, event.log!.message ?? '');
        return;
      case 'result':
        if (this.inFlight === undefined) return this.protocolError('a result without a conversion');
        this.inFlight.resolve(event.result!);
        return;
      case 'error': {
        const err = new BuilderError(errorCodeFromWire(event.error!.code ?? 0), event.error!.message ?? '');
        if (this.hello) this.hello.reject(err);
        else if (this.inFlight) {
          const { stopReason } = this.inFlight;
          this.inFlight.reject(stopReason && err.code === 'CANCELLED' ? stopReason : err);
        } else this.agentError = err;
        return;
      }
      case 'pong':
        this.pings.get(event.pong!.nonce ?? 0n)?.resolve();
        return;
      default:
        this.protocolError('an event without a kind');
    }
  }

  private protocolError(what: string): void {
    this.fail(new BuilderError('PROTOCOL_ERROR', `the agent sent ${what}`), true);
  }

  /** The connection is unusable: every pending call rejects with `err`. */
  private fail(err: BuilderError, closeConnection: boolean): void {
    if (this.failure === undefined) this.failure = err;
    if (closeConnection) this.channel.destroy();
    this.hello?.reject(err);
    for (const ping of this.pings.values()) ping.reject(err);
    const inFlight = this.inFlight;
    if (inFlight) {
      const stopReason = inFlight.stopReason;
      inFlight.reject(stopReason && err.code !== stopReason.code ? new BuilderError(stopReason.code, `${stopReason.message} (${err.message})`) : err);
    }
  }

  private send(request: IRequest): void {
    if (this.failure) return;
    this.channel.send(encodeRequest(request));
  }
}
