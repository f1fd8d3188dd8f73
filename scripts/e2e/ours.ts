// This project's two paths as a user runs them: the agent (`builder-agent serve`
// on a Unix socket, a long-running local process standing in for the builder
// VM's service) and the host CLI (`builder-host convert` against it, or
// `builder-host convert-local`), each CLI call a fresh process.
import { writeFileSync } from 'node:fs';
import { spawnAgent, type AgentProcess } from '../../testkit/agent-spawn.js';
import { AGENT_CLI, HOST_CLI } from '../../testkit/repo.js';
import type { MeasuredRun } from './measure.js';

export const AGENT_CLI_PATH = AGENT_CLI;
export const HOST_CLI_PATH = HOST_CLI;

export interface RunningAgent {
  process: AgentProcess;
  pid: number;
  /** unix:PATH */
  address: string;
  stop(): Promise<void>;
}

export interface AgentSetup {
  socket: string;
  volume: string;
  workDir: string;
  /** Extra node options (e.g. --cpu-prof --cpu-prof-dir DIR). */
  nodeArgs?: string[];
  /** The agent's environment (PATH decides which erofs-utils it finds). */
  env?: NodeJS.ProcessEnv;
  verbose?: boolean;
}

/** Starts `builder-agent serve --listen unix:SOCKET` and waits until it listens. */
export async function startAgent(setup: AgentSetup): Promise<RunningAgent> {
  const args = ['--listen', `unix:${setup.socket}`, '--output-dir', setup.volume, '--work-dir', setup.workDir, ...(setup.verbose ? ['--verbose'] : [])];
  const agent = spawnAgent(AGENT_CLI_PATH, args, { nodeArgs: setup.nodeArgs ?? [], ...(setup.env && { env: setup.env }) });
  const stop = async (): Promise<void> => void (await agent.stop());
  try {
    await agent.waitForLine(/listening on unix:/, 15_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { process: agent, pid: agent.child.pid!, address: `unix:${setup.socket}`, stop };
}

/** Resets a long-running process's VmHWM, so the next run's peak is its own. */
function resetPeakRss(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

/**
 * The agent each run talks to. A builder VM is short-lived and its agent
 * typically converts one image, so by default every run gets a freshly
 * started agent (started before the clock runs, as at VM boot), with its JIT
 * cold; `warm` keeps one agent for all runs instead.
 */
export class AgentSupply {
  private current: RunningAgent | undefined;

  constructor(
    private readonly setup: AgentSetup,
    private readonly warm: boolean,
  ) {}

  async forRun(): Promise<RunningAgent> {
    if (this.current !== undefined && this.warm) {
      resetPeakRss(this.current.pid);
      return this.current;
    }
    await this.stop();
    this.current = await startAgent(this.setup);
    return this.current;
  }

  async stop(): Promise<void> {
    const agent = this.current;
    this.current = undefined;
    await agent?.stop();
  }
}

/** What `builder-host convert|convert-local --json` prints (the parts read here). */
export interface HostConversion {
  image: { name: string; manifestDigest: string; sizeBytes: number; sha256: string; diskPath: string; source: string };
  path: 'agent' | 'host';
  alreadyPresent: boolean;
  timings: Array<{ step: string; millis: number }>;
  /** The engine's phases: resolve, apply, mkfs, finalize. */
  engineTimings?: Array<{ phase: string; millis: number }>;
}

/** The step that contains the engine's phases on either path. */
const CONVERT_STEPS = new Set(['agent-convert', 'host-convert']);

/** `builder-host convert` against the agent; never falls back (a failure of the fast path fails the run). */
export async function agentPath(run: MeasuredRun, target: ConversionTarget, agent: { address: string; volume: string }): Promise<HostConversion> {
  const args = ['convert', target.reference, '--agent', agent.address, '--volume', agent.volume, '--fallback', 'none'];
  return hostCli(run, target, args, 'agent');
}

export interface ConversionTarget {
  reference: string;
  store: string;
  /** The host CLI's environment (PATH decides which erofs-utils convert-local finds). */
  env?: NodeJS.ProcessEnv;
}

/** `builder-host convert-local`: the same engine on the host, then registration. */
export async function localPath(run: MeasuredRun, target: ConversionTarget, workDir: string): Promise<HostConversion> {
  return hostCli(run, target, ['convert-local', target.reference, '--work-dir', workDir], 'host');
}

async function hostCli(run: MeasuredRun, target: ConversionTarget, args: string[], expected: 'agent' | 'host'): Promise<HostConversion> {
  const started = performance.now();
  const stdout = await run.tool(process.execPath, [HOST_CLI_PATH, ...args, '--store', target.store, '--insecure', '--json'], { label: 'builder-host', ...(target.env && { env: target.env }) });
  const wall = performance.now() - started;
  const result = JSON.parse(stdout) as HostConversion;
  if (result.path !== expected || result.alreadyPresent) {
    throw new Error(`builder-host ${args[0]}: expected a fresh conversion by the ${expected} path, got ${JSON.stringify({ path: result.path, alreadyPresent: result.alreadyPresent })}`);
  }
  // Phases in the order they ran: the CLI's steps, with the conversion step split
  // into the engine's phases and what is left of it (the wire, the work dir).
  let steps = 0;
  for (const { step, millis } of result.timings) {
    steps += millis;
    if (!CONVERT_STEPS.has(step)) {
      run.phases[step] = (run.phases[step] ?? 0) + millis;
      continue;
    }
    let engine = 0;
    for (const { phase, millis: ms } of result.engineTimings ?? []) {
      run.phases[phase] = (run.phases[phase] ?? 0) + ms;
      engine += ms;
    }
    run.phases[`${step} rest`] = Math.max(0, millis - engine);
  }
  run.phases['cli start+exit'] = Math.max(0, wall - steps);
  return result;
}
