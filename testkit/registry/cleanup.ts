// Last-resort cleanup: registries still running when the process exits or is
// signalled are killed by pid, so a failing or interrupted run leaves none
// behind. (Each registry also runs under `setpriv --pdeathsig SIGKILL`, which
// covers the case where this process is SIGKILLed and no handler runs.)

const live = new Set<number>();
let installed = false;

function killAll(): void {
  for (const pid of live) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  live.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  killAll();
  // With nobody else listening, re-raise so the process still dies of the
  // signal (our `once` listener is gone, so the default action applies).
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

export function trackProcess(pid: number): void {
  if (!installed) {
    installed = true;
    process.on('exit', killAll);
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, onSignal);
  }
  live.add(pid);
}

export function untrackProcess(pid: number): void {
  live.delete(pid);
}
