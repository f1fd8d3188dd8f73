// One measured run of one conversion path: wall time, time per phase, and the
// resource peaks of every process it starts (and of long-running processes it
// uses, such as the agent), sampled while it runs.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { ResourceSampler, type ResourcePeaks, type SamplerOptions } from './sampler.js';

export interface RunMeasurement<T> {
  millis: number;
  /** CPU time (user + system) of the processes the run started (once they were waited for) and of the `fixed` ones. */
  cpuMillis: number;
  /** Phase name -> milliseconds, in the order the phases ran. */
  phases: Record<string, number>;
  peaks: ResourcePeaks;
  value: T;
}

export interface ToolOptions {
  /** Label for the process in the RSS peaks (default: the command name). */
  label?: string;
  env?: NodeJS.ProcessEnv;
  /** File descriptor or 'ignore' for stdout (default: captured and returned). */
  stdout?: 'pipe' | 'ignore';
}

export class MeasuredRun {
  readonly phases: Record<string, number> = {};
  private readonly roots = new Map<number, string>();

  constructor(fixed: Array<{ pid: number; label: string }>) {
    for (const { pid, label } of fixed) this.roots.set(pid, label);
  }

  rootList(): Array<{ pid: number; label: string }> {
    return [...this.roots].map(([pid, label]) => ({ pid, label }));
  }

  /** Times `work` as `name` (added to the phase when it runs more than once). */
  async phase<T>(name: string, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.phases[name] = (this.phases[name] ?? 0) + performance.now() - started;
    }
  }

  /** Runs a command to its end, watching its process tree; fails with its stderr on a non-zero exit. */
  tool(command: string, args: string[], options: ToolOptions = {}): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = spawn(command, args, { stdio: ['ignore', options.stdout ?? 'pipe', 'pipe'], ...(options.env && { env: options.env }) });
      if (child.pid !== undefined) this.roots.set(child.pid, options.label ?? command);
      let stdout = '';
      let stderr = '';
      child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-16384)));
      child.once('error', reject);
      child.once('close', (code, signal) => {
        if (code === 0) resolve(stdout);
        else reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`}):\n${stderr}${stdout.slice(-4000)}`));
      });
    });
  }
}

/** Runs `body` under a sampler; `fixed` are processes that outlive the run (their peaks must be reset by the caller). */
export async function measure<T>(
  sampling: Omit<SamplerOptions, 'roots'> & { fixed?: Array<{ pid: number; label: string }> },
  body: (run: MeasuredRun) => Promise<T>,
): Promise<RunMeasurement<T>> {
  const run = new MeasuredRun(sampling.fixed ?? []);
  const sampler = new ResourceSampler({ ...sampling, roots: () => run.rootList() });
  const fixed = (sampling.fixed ?? []).map((root) => root.pid);
  const cpuBefore = cpuTicks(fixed);
  sampler.start();
  const started = performance.now();
  try {
    const value = await body(run);
    const millis = performance.now() - started;
    const cpuMillis = ((cpuTicks(fixed) - cpuBefore) * 1000) / CLOCK_TICKS;
    return { millis, cpuMillis, phases: run.phases, peaks: sampler.stop(), value };
  } finally {
    sampler.stop(); // also on failure: the interval must not outlive the run
  }
}

/** USER_HZ: /proc/PID/stat counts CPU time in these. */
const CLOCK_TICKS = 100;

/** This process's waited-for children's CPU time, plus all of the given processes' (and their waited children's), in ticks. */
function cpuTicks(pids: number[]): number {
  const fields = (pid: number | 'self'): number[] => {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // After "pid (comm) ": state ppid ... utime(11) stime(12) cutime(13) cstime(14)
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ').slice(11, 15).map(Number);
  };
  const [, , cutime, cstime] = fields('self');
  return cutime! + cstime! + pids.reduce((sum, pid) => sum + fields(pid).reduce((a, b) => a + b, 0), 0);
}
