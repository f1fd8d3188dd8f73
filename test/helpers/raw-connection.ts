import { createConnection, type Socket } from 'node:net';
import { decodeEvent, encodeRequest, PROTOCOL_VERSION, type EventMessage, type IRequest } from '../../proto/builder.js';
import { encodeFrame, FrameDecoder } from '../../proto/frames.js';

export type { EventMessage };

/**
 * A protocol-level client with no smarts, for poking the agent with raw bytes: sends
 * whatever it is given, records every event with its arrival time and notices the close.
 */
export class RawConnection {
  readonly events: { event: EventMessage; at: number }[] = [];
  readonly closed: Promise<void>;
  private readonly waiters = new Set<() => void>();

  private constructor(readonly socket: Socket) {
    const decoder = new FrameDecoder();
    socket.pipe(decoder);
    decoder.on('data', (body: Buffer) => {
      this.events.push({ event: decodeEvent(body), at: performance.now() });
      for (const wake of this.waiters) wake();
    });
    decoder.on('error', () => socket.destroy());
    // A reset after the agent's last event is fine here; the close is what tests look at.
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    void this.closed.then(() => {
      for (const wake of this.waiters) wake();
    });
  }

  static connect(path: string): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = createConnection(path);
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new RawConnection(socket));
      });
    });
  }

  /** Connects and completes the handshake. */
  static async greeted(path: string): Promise<RawConnection> {
    const connection = await RawConnection.connect(path);
    connection.send({ hello: { protocol_version: PROTOCOL_VERSION, client: 'raw-test' } });
    await connection.next((event) => event.kind === 'hello');
    return connection;
  }

  send(request: IRequest): void {
    this.socket.write(encodeFrame(encodeRequest(request)));
  }

  writeRaw(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  get isClosed(): boolean {
    return this.socket.destroyed || this.socket.readableEnded;
  }

  /** Resolves with the first recorded event (from index `from` on) matching `predicate`. */
  async next(predicate: (event: EventMessage) => boolean, timeoutMs = 15_000, from = 0): Promise<EventMessage> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const found = this.events.slice(from).find(({ event }) => predicate(event));
      if (found) return found.event;
      if (this.socket.destroyed) throw new Error(`connection closed; events: ${this.describe()}`);
      const remaining = deadline - performance.now();
      if (remaining <= 0) throw new Error(`no matching event within ${timeoutMs} ms; events: ${this.describe()}`);
      let wake!: () => void;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => wake(), remaining);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
        this.waiters.add(wake);
      });
      this.waiters.delete(wake);
    }
  }

  /** The final event of a conversion: a result or an error. */
  final(timeoutMs?: number, from = 0): Promise<EventMessage> {
    return this.next((event) => event.kind === 'result' || event.kind === 'error', timeoutMs, from);
  }

  describe(): string {
    return JSON.stringify(this.events.map(({ event }) => event.kind === 'error' ? `error:${event.error?.code}:${event.error?.message}` : event.kind));
  }

  destroy(): void {
    this.socket.destroy();
  }
}
