// Children that must not outlive the agent. A SIGKILLed or OOM-killed agent runs
// no handler, so only the kernel can stop its children: prctl(PR_SET_PDEATHSIG).
// Node cannot run code between fork and exec, so util-linux's `setpriv
// --pdeathsig KILL` sets it and then execs the real command (same pid). Without
// it, the vsock listener's socat kept the port after the agent died and every
// restarted agent failed with "Address already in use"; a mkfs.erofs went on
// writing into a work area the restarted agent was sweeping.
// The signal follows the thread that spawned the child: Node spawns from the
// event loop's thread, so a child of a worker thread dies with that worker.
import { findOnPath, toolEnv } from '../../core/tool-env.js';

let setprivPath: string | null | undefined;

/** The setpriv on PATH (sbin included), looked up once; undefined when there is none. */
export function findSetpriv(): string | undefined {
  if (setprivPath === undefined) setprivPath = findOnPath('setpriv') ?? null;
  return setprivPath ?? undefined;
}

export interface TiedCommand {
  command: string;
  args: string[];
  /** False when setpriv is missing: the command runs as is and may outlive the agent. */
  tied: boolean;
}

/**
 * `command args` wrapped so the kernel sends it SIGKILL when this process dies.
 * A command not found on `env`'s PATH is left unwrapped, so spawning it fails
 * with ENOENT as it would without setpriv (callers report missing tools by it).
 */
export function diesWithAgent(command: string, args: readonly string[], env: NodeJS.ProcessEnv = toolEnv()): TiedCommand {
  const setpriv = findSetpriv();
  const resolved = findOnPath(command, env);
  if (setpriv === undefined || resolved === undefined) return { command, args: [...args], tied: false };
  return { command: setpriv, args: ['--pdeathsig', 'KILL', '--', resolved, ...args], tied: true };
}
