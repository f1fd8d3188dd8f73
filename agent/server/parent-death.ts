// Children that must not outlive the agent. A SIGKILLed or OOM-killed agent runs
// no handler, so only the kernel can stop its children: prctl(PR_SET_PDEATHSIG).
// Node cannot run code between fork and exec, so util-linux's `setpriv
// --pdeathsig KILL` sets it and then execs the real command (same pid). Without
// it, the vsock listener's socat kept the port after the agent died and every
// restarted agent failed with "Address already in use".
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { toolEnv } from '../disk/run.js';

let setprivPath: string | null | undefined;

/** The setpriv on PATH (sbin included), looked up once; undefined when there is none. */
export function findSetpriv(): string | undefined {
  if (setprivPath === undefined) {
    setprivPath = null;
    for (const dir of (toolEnv().PATH ?? '').split(':').filter(Boolean)) {
      try {
        accessSync(join(dir, 'setpriv'), constants.X_OK);
        setprivPath = join(dir, 'setpriv');
        break;
      } catch {
        // not here
      }
    }
  }
  return setprivPath ?? undefined;
}

export interface TiedCommand {
  command: string;
  args: string[];
  /** False when setpriv is missing: the command runs as is and may outlive the agent. */
  tied: boolean;
}

/** `command args` wrapped so the kernel sends it SIGKILL when this process dies. */
export function diesWithAgent(command: string, args: readonly string[]): TiedCommand {
  const setpriv = findSetpriv();
  if (setpriv === undefined) return { command, args: [...args], tied: false };
  return { command: setpriv, args: ['--pdeathsig', 'KILL', '--', command, ...args], tied: true };
}
