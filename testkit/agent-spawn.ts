// Spawning the agent CLI (or a test entry) and following its stderr. No vitest
// here: the demo and the E2E benchmark (scripts/) run agents the same way.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { AGENT_CLI } from './repo.js';

export { AGENT_CLI };

export interface AgentProcess {
  readonly child: ChildProcess;
  readonly lines: string[];
  /** Resolves with the first stderr line (past or future) matching `pattern`. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code (or signal name). */
  readonly exited: Promise<number | string>;
  /** Like `exited`, but fails (with what the agent printed) if it has not exited within `timeoutMs`. */
  waitForExit(timeoutMs?: number): Promise<number | string>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code. */
  stop(graceMs?: number): Promise<number | string>;
}

export interface SpawnAgentOptions {
  /** Options for node itself, before the script (e.g. --cpu-prof). */
  nodeArgs?: string[];
  /** The agent's environment (default: this process's). */
  env?: NodeJS.ProcessEnv;
}

/** Spawns `node AGENT_CLI serve ARGS...` (or `node SCRIPT ARGS...` for another entry, e.g. a test one) and collects stderr lines. */
export function spawnAgent(script: string, args: string[], options: SpawnAgentOptions = {}): AgentProcess {
  const argv = script === AGENT_CLI ? [script, 'serve', ...args] : [script, ...args];
  // Under setpriv --pdeathsig (same pid, setpriv execs node): a test worker (or the demo)
  // that dies without running its cleanup takes its agents with it.
  const child = spawn('setpriv', ['--pdeathsig', 'KILL', '--', process.execPath, ...(options.nodeArgs ?? []), ...argv], { stdio: ['ignore', 'inherit', 'pipe'], ...(options.env && { env: options.env }) });
  const lines: string[] = [];
  const waiters = new Set<{ pattern: RegExp; resolve(line: string): void }>();
  createInterface({ input: child.stderr }).on('line', (line) => {
    lines.push(line);
    if (process.env.AGENT_LOG) process.stderr.write(`[agent ${child.pid}] ${line}\n`);
    for (const waiter of waiters) {
      if (waiter.pattern.test(line)) {
        waiters.delete(waiter);
        waiter.resolve(line);
      }
    }
  });
  const exited = new Promise<number | string>((done) => child.once('exit', (code, signal) => done(code ?? signal ?? -1)));
  return {
    child,
    lines,
    exited,
    waitForLine(pattern, timeoutMs = 10_000) {
      const seen = lines.find((line) => pattern.test(line));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolveLine, reject) => {
        const waiter = { pattern, resolve: resolveLine };
        waiters.add(waiter);
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`agent printed no line matching ${pattern} within ${timeoutMs} ms; it printed:\n${lines.join('\n')}`));
        }, timeoutMs);
        void exited.then(() => {
          if (!waiters.has(waiter)) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          reject(new Error(`agent exited before printing ${pattern}; it printed:\n${lines.join('\n')}`));
        });
        waiter.resolve = (line) => {
          clearTimeout(timer);
          resolveLine(line);
        };
      });
    },
    waitForExit(timeoutMs = 15_000) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`agent still running after ${timeoutMs} ms; it printed:\n${lines.join('\n')}`)), timeoutMs);
      });
      return Promise.race([exited, timeout]).finally(() => clearTimeout(timer));
    },
    async stop(graceMs = 10_000) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      return exited;
    },
  };
}
