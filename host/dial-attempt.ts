import { BuilderError } from '../proto/errors.js';

/** One failed attempt to reach the agent; `retryable` when the VM may simply not be up yet. */
export class DialFailure extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DialFailure';
  }
}

/**
 * Errors that mean "the VM is not up yet", worth another attempt: nobody listens on the
 * socket yet (ECONNREFUSED, ENOENT), or the VMM accepts and drops the connection because
 * the guest's vsock device is not set up yet: vhost-device-vsock does that for the first
 * seconds of a boot, and the CONNECT line then fails with EPIPE or ECONNRESET (measured,
 * docs/builder-vm.md).
 */
const NOT_YET = new Set(['ECONNREFUSED', 'ENOENT', 'EPIPE', 'ECONNRESET']);

export function connectFailure(what: string, err: NodeJS.ErrnoException): DialFailure {
  return new DialFailure(`${what}: ${err.message}`, NOT_YET.has(err.code ?? ''), { cause: err });
}

/**
 * Runs `start` with a deadline and an abort signal; `start` gets a cleanup registry for
 * what to destroy if the attempt is abandoned (timeout or abort).
 */
export function boundedAttempt<T>(
  what: string,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  start: (settle: { resolve(value: T): void; reject(err: Error): void }, onAbandon: (cleanup: () => void) => void) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const cleanups: (() => void)[] = [];
    let done = false;
    const finish = (): boolean => {
      if (done) return false;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      return true;
    };
    const abandon = (err: Error): void => {
      if (!finish()) return;
      for (const cleanup of cleanups) cleanup();
      reject(err);
    };
    const timer = setTimeout(() => abandon(new BuilderError('TIMEOUT', `${what}: no answer within ${timeoutMs} ms`)), timeoutMs);
    const onAbort = (): void => abandon(new BuilderError('CANCELLED', `${what}: cancelled`));
    if (signal?.aborted) {
      onAbort();
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    start(
      {
        resolve: (value) => {
          if (finish()) resolve(value);
        },
        reject: (err) => abandon(err),
      },
      (cleanup) => cleanups.push(cleanup),
    );
  });
}
