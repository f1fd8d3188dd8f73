import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

/**
 * Tries to bind AF_VSOCK `port` (any CID) with a throwaway socat, the only check that
 * works here: this kernel has no vsock_diag (`ss --vsock` lists nothing), no
 * /proc/net/vsock and no vsock loopback to connect through. 'in-use' is what a port
 * held by a live listener answers; 'bound' a free one; anything else is socat's error.
 */
export async function tryBindVsock(port: number): Promise<string> {
  const { answer, holder } = await bindVsock(port);
  if (holder.exitCode === null && holder.signalCode === null) {
    const exited = new Promise((resolve) => holder.once('exit', resolve));
    holder.kill('SIGKILL');
    await exited;
  }
  return answer;
}

/** Binds `port` with socat and keeps it until the caller kills `holder`. */
export function bindVsock(port: number): Promise<{ answer: string; holder: ChildProcess }> {
  return new Promise((resolve) => {
    const holder = spawn('socat', ['-d', '-d', `VSOCK-LISTEN:${port}`, 'STDOUT'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let answer: string | undefined;
    const settle = (value: string): void => {
      if (answer !== undefined) return;
      answer = value;
      clearTimeout(timer);
      resolve({ answer, holder });
    };
    createInterface({ input: holder.stderr }).on('line', (line) => {
      if (/N listening on/.test(line)) settle('bound');
      else if (/Address already in use/.test(line)) settle('in-use');
      else if (/ E /.test(line)) settle(line);
    });
    const timer = setTimeout(() => settle('socat gave no answer'), 5000);
    holder.once('exit', () => settle('socat exited without an answer'));
  });
}

/** A vsock port nobody listens on, from a range other suites do not use. */
export async function freeVsockPort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 40_000);
    if ((await tryBindVsock(port)) === 'bound') return port;
  }
  throw new Error('no free vsock port found');
}

/** True while a process with this pid runs (a zombie waiting for its reaper counts as gone). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
