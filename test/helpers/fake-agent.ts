// A protocol-level stand-in for a *compromised guest*: a Unix socket server that
// speaks (or refuses to speak) the wire protocol however a test scripts it. The
// real agent never sends an absolute or `..` path, junk bytes or nothing at all,
// so these faults cannot be caused with it; a guest under an attacker's control
// can send anything, and that is what the host must survive.
import { createServer, type Server, type Socket } from 'node:net';
import { decodeRequest, encodeEvent, PROTOCOL_VERSION, type IResult } from '../../proto/builder.js';
import { encodeFrame, FrameDecoder } from '../../proto/frames.js';

export type FakeAgentBehaviour =
  /** These bytes as soon as a client connects. */
  | { kind: 'garbage'; bytes: Buffer }
  /** Accepts and never sends a byte. */
  | { kind: 'silent' }
  /** Says hello, then ignores the Convert. */
  | { kind: 'hello-then-silent' }
  /** Says hello and answers every Convert with this Result. */
  | { kind: 'result'; result: IResult };

export interface FakeAgent {
  readonly address: string;
  /** image_ref of every Convert received. */
  readonly converts: string[];
  close(): Promise<void>;
}

export async function startFakeAgent(socketPath: string, behaviour: FakeAgentBehaviour): Promise<FakeAgent> {
  const converts: string[] = [];
  const sockets = new Set<Socket>();
  const send = (socket: Socket, event: Parameters<typeof encodeEvent>[0]): boolean => socket.write(encodeFrame(encodeEvent(event)));
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.once('close', () => sockets.delete(socket));
    if (behaviour.kind === 'garbage') {
      socket.write(behaviour.bytes);
      return;
    }
    if (behaviour.kind === 'silent') return;
    const decoder = new FrameDecoder();
    decoder.on('error', () => socket.destroy());
    socket.pipe(decoder).on('data', (body: Buffer) => {
      const request = decodeRequest(body);
      if (request.kind === 'hello') {
        send(socket, { hello: { protocol_version: PROTOCOL_VERSION, agent_version: 'fake', erofs_utils_version: '1.5', compressions: ['lz4'], formats: [1, 2] } });
      } else if (request.kind === 'convert') {
        converts.push(request.convert?.image_ref ?? '');
        if (behaviour.kind === 'result') send(socket, { result: behaviour.result });
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  return {
    address: `unix:${socketPath}`,
    converts,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
