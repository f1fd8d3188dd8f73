import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Logger } from '../../core/progress.js';
import { BuilderError } from '../../proto/errors.js';
import { diesWithAgent } from '../disk/parent-death.js';

export interface SocatSupervisorOptions {
  /** The vsock port to listen on (any CID). */
  port: number;
  /** The agent's internal Unix socket every vsock connection is forwarded to. */
  unixPath: string;
  log: Logger;
  socatPath?: string;
  /** First restart delay; doubles on each quick death up to `maxBackoffMs`. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** A socat that ran this long resets the backoff. */
  stableAfterMs?: number;
  /** How long the first start may take to report that it listens. */
  startTimeoutMs?: number;
}

/** socat -d -d prints this notice once its listening socket is bound. */
const LISTENING = /\bN listening on\b/;
/** socat's error lines ("... socat[pid] E bind(...): Address already in use"). */
const ERROR_LINE = /\bsocat\[\d+\] E (.*)$/;

/**
 * Runs `socat VSOCK-LISTEN:PORT,fork,reuseaddr UNIX-CONNECT:PATH` and restarts it with
 * backoff whenever it dies, logging each restart. Node has no usable AF_VSOCK module
 * (see ARCHITECTURE.md), so socat owns the vsock socket and forks one child per
 * connection that relays bytes to the agent's Unix socket. socat runs under
 * `setpriv --pdeathsig KILL` (parent-death.ts), so it never outlives the agent.
 */
export class SocatSupervisor {
  private child: ChildProcess | undefined;
  private stopping = false;
  private quickDeaths = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private restarts = 0;
  private warnedUntied = false;
  private readonly opts: Required<SocatSupervisorOptions>;

  constructor(options: SocatSupervisorOptions) {
    this.opts = {
      socatPath: 'socat',
      initialBackoffMs: 200,
      maxBackoffMs: 5000,
      stableAfterMs: 10_000,
      startTimeoutMs: 5000,
      ...options,
    };
  }

  /** The pid of the socat currently listening (undefined between a death and its restart). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts socat and resolves once it listens; rejects if it cannot bind (the port is taken, socat is missing). */
  async start(): Promise<void> {
    await this.spawnOnce(this.opts.startTimeoutMs);
  }

  /** Stops socat (SIGTERM, SIGKILL after two seconds) and waits for it to exit. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const killTimer = setTimeout(() => child.kill('SIGKILL'), 2000);
    await exited;
    clearTimeout(killTimer);
  }

  private spawnOnce(readyTimeoutMs: number): Promise<void> {
    const { port, unixPath, log } = this.opts;
    const socat = diesWithAgent(this.opts.socatPath, ['-d', '-d', `VSOCK-LISTEN:${port},fork,reuseaddr`, `UNIX-CONNECT:${unixPath}`]);
    if (!socat.tied && !this.warnedUntied) {
      this.warnedUntied = true;
      log('warn', 'setpriv (util-linux) not found: socat is not tied to the agent and would keep the vsock port if the agent were killed');
    }
    const child = spawn(socat.command, socat.args, { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    const startedAt = performance.now();
    let lastError = '';
    let ready = false;

    return new Promise<void>((resolve, reject) => {
      const fail = (message: string): void => {
        clearTimeout(readyTimer);
        reject(new BuilderError('INTERNAL', `cannot listen on vsock port ${port}: ${message}`));
      };
      const readyTimer = setTimeout(() => {
        child.kill('SIGKILL');
        fail(`socat did not report listening within ${readyTimeoutMs} ms`);
      }, readyTimeoutMs);

      createInterface({ input: child.stderr }).on('line', (line) => {
        if (!ready && LISTENING.test(line)) {
          ready = true;
          clearTimeout(readyTimer);
          log('debug', `socat (pid ${child.pid}) listening on vsock port ${port}`);
          resolve();
          return;
        }
        const error = ERROR_LINE.exec(line);
        if (error !== null) {
          lastError = error[1] ?? line;
          log('warn', `socat: ${lastError}`);
        } else if (!/\bsocat\[\d+\] [DINW] /.test(line)) {
          // Not socat's own (e.g. setpriv failing to exec it): keep it as the reason.
          lastError = line;
        }
      });
      child.once('error', (err) => {
        lastError = err.message;
        if (!ready) fail(err.message);
      });
      child.once('exit', (code, signal) => {
        if (this.child === child) this.child = undefined;
        if (!ready) {
          fail(lastError || `socat exited (${signal ?? code}) before listening`);
          return;
        }
        if (this.stopping) return;
        const ranMs = performance.now() - startedAt;
        this.quickDeaths = ranMs >= this.opts.stableAfterMs ? 0 : this.quickDeaths + 1;
        this.scheduleRestart(`socat (pid ${child.pid}) exited with ${signal ?? `code ${code}`}${lastError ? ` (${lastError})` : ''} after ${Math.round(ranMs)} ms`);
      });
    });
  }

  private scheduleRestart(why: string): void {
    const delay = Math.min(this.opts.maxBackoffMs, this.opts.initialBackoffMs * 2 ** Math.max(0, this.quickDeaths - 1));
    this.restarts += 1;
    this.opts.log('warn', `${why}; restart #${this.restarts} in ${delay} ms`);
    this.restartTimer = setTimeout(() => {
      if (this.stopping) return;
      this.spawnOnce(this.opts.startTimeoutMs).then(
        () => this.opts.log('info', `socat restarted (pid ${this.child?.pid}), vsock port ${this.opts.port} listening again`),
        (err: Error) => {
          this.quickDeaths += 1;
          this.scheduleRestart(err.message);
        },
      );
    }, delay);
  }
}
