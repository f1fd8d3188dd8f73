import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { createInterface } from 'node:readline';
import { Duplex, type Readable, type Writable } from 'node:stream';
import { boundedAttempt, DialFailure } from './dial-attempt.js';

/** socat -d -d prints this notice once both ends are open. */
const CONNECTED = /\bN starting data transfer loop\b/;
const ERROR_LINE = /\bsocat\[\d+\] E (.*)$/;
/** Connect errors that mean the guest is not listening (yet): worth another attempt while the VM boots. */
const NOT_YET = /Connection refused|Connection reset by peer|Connection timed out|No such device/;

type SocatChild = ChildProcessByStdio<Writable, Readable, Readable>;

/**
 * A byte stream to `address` (a socat address such as `VSOCK-CONNECT:CID:PORT`) through a
 * `socat - ADDRESS` child: its stdin and stdout are the stream. Node has no AF_VSOCK, and a
 * child's pipes give the same backpressure a socket does; destroying the stream ends the child.
 */
export function dialSocat(address: string, timeoutMs: number, signal?: AbortSignal, socatPath = 'socat'): Promise<Duplex> {
  const what = `socat ${address}`;
  return boundedAttempt<Duplex>(what, timeoutMs, signal, (settle, onAbandon) => {
    const child = spawn(socatPath, ['-d', '-d', '-', address], { stdio: ['pipe', 'pipe', 'pipe'] });
    onAbandon(() => child.kill('SIGKILL'));
    let lastError = '';
    let connected = false;
    createInterface({ input: child.stderr }).on('line', (line) => {
      const error = ERROR_LINE.exec(line);
      if (error !== null) lastError = error[1] ?? line;
      if (!connected && CONNECTED.test(line)) {
        connected = true;
        settle.resolve(new ChildProcessStream(child));
      }
    });
    child.once('error', (err) => settle.reject(new DialFailure(`${what}: ${err.message}`, false, { cause: err })));
    child.once('exit', (code, exitSignal) => {
      if (connected) return;
      const why = lastError || `socat exited with ${exitSignal ?? `code ${code}`}`;
      settle.reject(new DialFailure(`${what}: ${why}`, NOT_YET.test(why)));
    });
  });
}

/** A child process's stdout/stdin as one Duplex. */
class ChildProcessStream extends Duplex {
  constructor(private readonly child: SocatChild) {
    super();
    child.stdout.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) child.stdout.pause();
    });
    child.stdout.once('end', () => this.push(null));
    child.stdout.once('error', (err) => this.destroy(err));
    child.stdin.once('error', (err) => this.destroy(err));
  }

  override _read(): void {
    this.child.stdout.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.child.stdin.write(chunk, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.child.stdin.end(callback);
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    callback(err);
  }
}
