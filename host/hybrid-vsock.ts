import { createConnection, type Socket } from 'node:net';
import { boundedAttempt, connectFailure, DialFailure } from './dial-attempt.js';

/** The VMM answers "OK <port>\n"; anything longer than this without a newline is not that. */
const MAX_ANSWER_BYTES = 64;

/**
 * Opens a guest vsock port through a Cloud Hypervisor / Firecracker hybrid-vsock Unix
 * socket: connect, write `CONNECT <port>\n`, require a line starting with `OK `. Bytes
 * the guest sent right behind that line are pushed back into the socket, so the
 * returned stream starts exactly where the guest's data starts.
 */
export function connectHybridVsock(path: string, port: number, timeoutMs: number, signal?: AbortSignal): Promise<Socket> {
  const what = `hybrid vsock ${path} port ${port}`;
  return boundedAttempt<Socket>(what, timeoutMs, signal, (settle, onAbandon) => {
    const socket = createConnection(path);
    onAbandon(() => socket.destroy());
    let answer = Buffer.alloc(0);
    let answered = false;

    const fail = (err: Error): void => {
      socket.destroy();
      settle.reject(err);
    };
    const onData = (chunk: Buffer): void => {
      answer = Buffer.concat([answer, chunk]);
      const newline = answer.indexOf(0x0a);
      if (newline < 0) {
        if (answer.length > MAX_ANSWER_BYTES) fail(new DialFailure(`${what}: answer longer than ${MAX_ANSWER_BYTES} bytes without a newline`, false));
        return;
      }
      answered = true;
      const line = answer.subarray(0, newline).toString('latin1');
      if (!line.startsWith('OK ')) {
        fail(new DialFailure(`${what}: answered ${JSON.stringify(line.slice(0, MAX_ANSWER_BYTES))} instead of OK`, false));
        return;
      }
      socket.pause();
      socket.off('data', onData);
      socket.off('close', onClose);
      socket.off('error', onError);
      const rest = answer.subarray(newline + 1);
      if (rest.length > 0) socket.unshift(rest);
      settle.resolve(socket);
    };
    const onError = (err: NodeJS.ErrnoException): void => fail(connectFailure(what, err));
    // Closing before OK is what the VMM does while nothing listens on the guest port yet.
    const onClose = (): void => {
      if (!answered) fail(new DialFailure(`${what}: closed before answering OK (is the agent up?)`, true));
    };
    socket.once('connect', () => socket.write(`CONNECT ${port}\n`));
    socket.on('data', onData);
    socket.once('error', onError);
    socket.once('close', onClose);
  });
}
