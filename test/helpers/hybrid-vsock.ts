import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * How the emulated VMM answers one connection:
 * - `ok`: `OK <port>\n` (preceded by `answerChunks` split writes, followed in the same
 *   write by `afterOk`), then relays bytes to and from the agent's Unix socket.
 * - `close-before-ok`: reads CONNECT and closes, as Cloud Hypervisor does when nothing
 *   listens on the guest port (the VM is still booting).
 * - `drop-on-accept`: closes the connection as soon as it is accepted, before reading
 *   anything, as vhost-device-vsock does before the guest's vsock device is set up: the
 *   client's CONNECT write then fails with EPIPE, or its read with ECONNRESET.
 * - `garbage`: answers a line that is not OK.
 * - `long-line`: answers bytes without a newline, more than any OK line.
 * - `silent`: reads CONNECT and never answers.
 * - `ok-then-silent`: answers OK but does not relay (an agent that never says hello).
 */
export type HybridMode = 'ok' | 'close-before-ok' | 'drop-on-accept' | 'garbage' | 'long-line' | 'silent' | 'ok-then-silent';

export interface HybridVsockOptions {
  /** Where the emulated hybrid socket listens. */
  path: string;
  /** The agent's Unix socket the guest port leads to. */
  agentSocket: string;
  /** Mode per connection, by index; connections past the list use the last entry. Default ['ok']. */
  modes?: HybridMode[];
  /** Bytes sent right behind the OK line, in the same write. */
  afterOk?: Uint8Array;
  /** Send the OK line one byte per write. */
  splitAnswer?: boolean;
}

export interface HybridVsock {
  /** The CONNECT lines received, in order. */
  readonly requests: string[];
  close(): Promise<void>;
}

/** Emulates a Cloud Hypervisor / Firecracker hybrid-vsock Unix socket in front of a real agent. */
export async function startHybridVsock(options: HybridVsockOptions): Promise<HybridVsock> {
  const modes = options.modes ?? ['ok'];
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;

  const server: Server = createServer((client) => {
    const mode = modes[Math.min(connections, modes.length - 1)]!;
    connections += 1;
    client.on('error', () => undefined);
    if (mode === 'drop-on-accept') {
      client.destroy();
      return;
    }
    sockets.add(client);
    client.once('close', () => sockets.delete(client));
    let received = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      received = Buffer.concat([received, chunk]);
      const newline = received.indexOf(0x0a);
      if (newline < 0) return;
      client.off('data', onData);
      client.pause();
      const line = received.subarray(0, newline).toString();
      requests.push(line);
      const rest = received.subarray(newline + 1);
      const port = /^CONNECT (\d+)$/.exec(line)?.[1];
      if (port === undefined) {
        client.destroy();
        return;
      }
      answer(client, mode, port, rest);
    };
    client.on('data', onData);
  });

  function answer(client: Socket, mode: HybridMode, port: string, rest: Buffer): void {
    switch (mode) {
      case 'close-before-ok':
        client.destroy();
        return;
      case 'garbage':
        client.write('ERR no such port\n');
        return;
      case 'long-line':
        client.write('O'.repeat(200));
        return;
      case 'silent':
        return;
      case 'ok-then-silent':
        client.write(`OK ${port}\n`);
        return;
      case 'ok':
        relay(client, port, rest);
    }
  }

  function relay(client: Socket, port: string, rest: Buffer): void {
    const agent = createConnection(options.agentSocket);
    sockets.add(agent);
    agent.on('error', () => client.destroy());
    agent.once('close', () => {
      sockets.delete(agent);
      client.destroy();
    });
    client.once('close', () => agent.destroy());
    agent.once('connect', () => {
      const ok = Buffer.from(`OK ${port}\n`);
      if (options.splitAnswer) for (const byte of ok) client.write(Buffer.of(byte));
      else client.write(options.afterOk ? Buffer.concat([ok, options.afterOk]) : ok);
      if (options.splitAnswer && options.afterOk) client.write(options.afterOk);
      if (rest.length > 0) agent.write(rest);
      client.pipe(agent);
      agent.pipe(client);
      client.resume();
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.path, () => resolve());
  });
  return {
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
