import { createConnection, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { BuilderError, isBuilderError } from '../proto/errors.js';
import { boundedAttempt, connectFailure, DialFailure } from './dial-attempt.js';
import { connectHybridVsock } from './hybrid-vsock.js';
import { dialSocat } from './socat-stream.js';

export type AgentAddress =
  | { kind: 'unix'; path: string }
  /** Cloud Hypervisor / Firecracker: the VM's vsock as a Unix socket on the host. */
  | { kind: 'hybrid-vsock'; path: string; port: number }
  /** QEMU (vhost-vsock): AF_VSOCK to the guest CID. */
  | { kind: 'vsock'; cid: number; port: number };

/** Parses `unix:PATH`, `hybrid-vsock:PATH:PORT` or `vsock:CID:PORT` (PATH may contain ':'). */
export function parseAgentAddress(text: string): AgentAddress {
  const bad = (): BuilderError =>
    new BuilderError('INVALID_ARGUMENT', `agent address '${text}' is not unix:PATH, hybrid-vsock:PATH:PORT or vsock:CID:PORT`);
  if (text.startsWith('unix:')) {
    const path = text.slice('unix:'.length);
    if (path === '') throw bad();
    return { kind: 'unix', path };
  }
  const hybrid = /^hybrid-vsock:(.+):(\d{1,10})$/.exec(text);
  if (hybrid !== null) return { kind: 'hybrid-vsock', path: hybrid[1]!, port: u32(hybrid[2]!, bad) };
  const vsock = /^vsock:(\d{1,10}):(\d{1,10})$/.exec(text);
  if (vsock !== null) return { kind: 'vsock', cid: u32(vsock[1]!, bad), port: u32(vsock[2]!, bad) };
  throw bad();
}

function u32(text: string, bad: () => BuilderError): number {
  const value = Number(text);
  if (value > 0xffffffff) throw bad();
  return value;
}

export function formatAgentAddress(address: AgentAddress): string {
  switch (address.kind) {
    case 'unix':
      return `unix:${address.path}`;
    case 'hybrid-vsock':
      return `hybrid-vsock:${address.path}:${address.port}`;
    case 'vsock':
      return `vsock:${address.cid}:${address.port}`;
  }
}

export interface DialOptions {
  /** Bound on each attempt (connect, and the CONNECT/OK exchange). Default 5000. */
  attemptTimeoutMs?: number;
  /** Attempts in all while the agent is not reachable yet (VM booting). Default 10. */
  attempts?: number;
  /**
   * Bound on the whole dial, retries included: no attempt starts after it and none runs
   * past it. A booting VM needs time rather than a number of attempts. Default: none
   * (the attempts bound it).
   */
  deadlineMs?: number;
  /** Delay before the second attempt; doubles up to maxBackoffMs. Default 100. */
  backoffMs?: number;
  /** Default 2000. */
  maxBackoffMs?: number;
  signal?: AbortSignal;
  /** Called before each retry, e.g. to log it. */
  onRetry?: (attempt: number, error: Error, delayMs: number) => void;
  /** socat binary for vsock:CID:PORT. */
  socatPath?: string;
}

/**
 * Opens a byte stream to the agent. Retries (bounded, with backoff) while the agent is
 * not there yet: the socket does not exist or refuses, or the VMM closes the hybrid
 * socket before OK. Fails with AGENT_UNAVAILABLE carrying the last underlying error,
 * TIMEOUT when an attempt gets no answer in time, CANCELLED when `signal` aborts.
 */
export async function dialAgent(address: AgentAddress | string, options: DialOptions = {}): Promise<Duplex> {
  const target = typeof address === 'string' ? parseAgentAddress(address) : address;
  const attempts = Math.max(1, options.attempts ?? 10);
  const timeoutMs = options.attemptTimeoutMs ?? 5000;
  const deadline = options.deadlineMs === undefined ? Infinity : performance.now() + options.deadlineMs;
  let delay = options.backoffMs ?? 100;
  for (let attempt = 1; ; attempt++) {
    try {
      return await dialOnce(target, Math.max(1, Math.min(timeoutMs, Math.ceil(deadline - performance.now()))), options);
    } catch (err) {
      if (isBuilderError(err)) throw err;
      const failure = err instanceof DialFailure ? err : new DialFailure(String(err), false);
      const outOfTime = performance.now() + delay >= deadline;
      if (!failure.retryable || attempt >= attempts || outOfTime) {
        const bound = outOfTime && failure.retryable && attempt < attempts ? `, ${options.deadlineMs} ms dial deadline` : '';
        throw new BuilderError(
          'AGENT_UNAVAILABLE',
          `cannot reach the agent at ${formatAgentAddress(target)} (${attempt} attempt${attempt === 1 ? '' : 's'}${bound}): ${failure.message}`,
          { cause: failure },
        );
      }
      options.onRetry?.(attempt, failure, delay);
      try {
        await sleep(delay, undefined, options.signal ? { signal: options.signal } : {});
      } catch {
        throw new BuilderError('CANCELLED', `dialing ${formatAgentAddress(target)}: cancelled`);
      }
      delay = Math.min(delay * 2, options.maxBackoffMs ?? 2000);
    }
  }
}

function dialOnce(target: AgentAddress, timeoutMs: number, options: DialOptions): Promise<Duplex> {
  switch (target.kind) {
    case 'unix':
      return connectUnix(target.path, timeoutMs, options.signal);
    case 'hybrid-vsock':
      return connectHybridVsock(target.path, target.port, timeoutMs, options.signal);
    case 'vsock':
      return dialSocat(`VSOCK-CONNECT:${target.cid}:${target.port}`, timeoutMs, options.signal, options.socatPath);
  }
}

function connectUnix(path: string, timeoutMs: number, signal?: AbortSignal): Promise<Socket> {
  return boundedAttempt<Socket>(`unix socket ${path}`, timeoutMs, signal, (settle, onAbandon) => {
    const socket = createConnection(path);
    onAbandon(() => socket.destroy());
    const onError = (err: NodeJS.ErrnoException): void => settle.reject(connectFailure(`unix socket ${path}`, err));
    socket.once('error', onError);
    socket.once('connect', () => {
      socket.off('error', onError);
      settle.resolve(socket);
    });
  });
}
