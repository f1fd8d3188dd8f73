import type { IProgress, IResult } from '../../proto/builder.js';
import { asBuilderError, BuilderError } from '../../proto/errors.js';
import { checkOutputName } from '../../core/output-name.js';
import { resolveOutputPath } from './output-name.js';
import type { ConvertRequestMessage, Converter } from './types.js';
import type { LogLevel, Logger } from '../../core/progress.js';

export interface ConversionEnvironment {
  converter: Converter;
  outputDir: string;
  workDir: string | undefined;
  /** Used when a request leaves timeout_seconds at 0. */
  defaultTimeoutSeconds: number;
  /** How long an aborted pipeline may take to stop before the final Error is sent anyway. */
  abortGraceMs: number;
  log: Logger;
}

export type Outcome = { result: IResult } | { error: BuilderError };

export interface ConversionSink {
  progress(update: IProgress): void;
  log(level: LogLevel, message: string): void;
}

/** One conversion in flight. */
export interface RunningConversion {
  readonly controller: AbortController;
  /** What to answer: the pipeline's Result or Error, or the abort reason once the grace period ran out. */
  readonly outcome: Promise<Outcome>;
  /** Settles when the pipeline itself has returned (its cleanup is done). */
  readonly settled: Promise<void>;
}

/** setTimeout's limit; a longer request timeout is as good as none. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const MAX_LOG_CHARS = 16 * 1024;

/**
 * The one conversion an agent runs at a time. A second request is refused (BUSY) rather
 * than queued: the host knows whether it can wait (retry later), use another builder VM
 * or fall back to converting on the host, and a queue inside the guest would hide that
 * choice behind an unbounded wait.
 */
export class ConversionSlot {
  private current: RunningConversion | undefined;

  constructor(private readonly env: ConversionEnvironment) {}

  get busy(): boolean {
    return this.current !== undefined;
  }

  /** Starts a conversion, or returns undefined when one is already running. */
  tryStart(request: ConvertRequestMessage, sink: ConversionSink): RunningConversion | undefined {
    if (this.current !== undefined) return undefined;
    const running = startConversion(this.env, request, sink);
    this.current = running;
    void running.settled.then(() => {
      if (this.current === running) this.current = undefined;
    });
    return running;
  }

  /**
   * Aborts the running conversion (if any) and waits until its answer is decided and its
   * pipeline has stopped, giving up on the latter after the abort grace period once more.
   * Resolves false when it gave up (the pipeline is still running).
   */
  async abortAndWait(reason: BuilderError): Promise<boolean> {
    const running = this.current;
    if (running === undefined) return true;
    running.controller.abort(reason);
    await running.outcome;
    let timer: NodeJS.Timeout | undefined;
    const stopped = await Promise.race([
      running.settled.then(() => true),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), this.env.abortGraceMs))),
    ]);
    clearTimeout(timer);
    if (!stopped) this.env.log('warn', 'the pipeline still has not stopped; leaving it behind');
    return stopped;
  }
}

function startConversion(env: ConversionEnvironment, request: ConvertRequestMessage, sink: ConversionSink): RunningConversion {
  const controller = new AbortController();
  const { signal } = controller;
  const timeoutSeconds = request.timeout_seconds > 0 ? request.timeout_seconds : env.defaultTimeoutSeconds;
  const timeout = setTimeout(
    () => controller.abort(new BuilderError('TIMEOUT', `conversion did not finish within ${timeoutSeconds} s`)),
    Math.min(timeoutSeconds * 1000, MAX_TIMER_MS),
  );

  const run = (async (): Promise<IResult> => {
    const outputPath = request.output_name === '' ? undefined : await resolveOutputPath(env.outputDir, request.output_name);
    signal.throwIfAborted();
    const result = await env.converter({
      request,
      outputDir: env.outputDir,
      outputPath,
      workDir: env.workDir,
      signal,
      progress: (update) => {
        if (!signal.aborted) sink.progress(update);
      },
      log: (level, message) => sink.log(level, message.length > MAX_LOG_CHARS ? `${message.slice(0, MAX_LOG_CHARS)}...` : message),
    });
    try {
      checkOutputName(result.path ?? '');
    } catch (err) {
      throw new BuilderError('INTERNAL', `the pipeline answered an unusable path: ${(err as Error).message}`);
    }
    return result;
  })();

  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  void settled.then(() => clearTimeout(timeout));
  const answered: Promise<Outcome> = run.then(
    (result) => ({ result }),
    (err: unknown) => ({ error: asBuilderError(signal.aborted ? signal.reason : err) }),
  );
  return { controller, settled, outcome: withAbortGrace(answered, signal, env) };
}

/** A pipeline that ignores its abort signal must not keep the client waiting forever. */
function withAbortGrace(answered: Promise<Outcome>, signal: AbortSignal, env: ConversionEnvironment): Promise<Outcome> {
  let graceTimer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<Outcome>((resolve) => {
    const onAbort = (): void => {
      graceTimer = setTimeout(() => {
        const reason = asBuilderError(signal.reason);
        env.log('warn', `the pipeline has not stopped ${env.abortGraceMs} ms after '${reason.message}'; answering now, the agent stays busy until it does`);
        resolve({ error: new BuilderError(reason.code, `${reason.message} (the agent is still cleaning up)`) });
      }, env.abortGraceMs);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([answered, gaveUp]).finally(() => clearTimeout(graceTimer));
}
