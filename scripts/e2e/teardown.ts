// Undo steps for a script that starts processes, mounts and temp dirs: run in
// reverse order on a normal end, on an error, and on Ctrl-C / SIGTERM / SIGHUP
// (then the process exits 128 + signal number). Each step runs once.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';

type Step = { what: string; undo: () => Promise<void> | void };

const SIGNAL_NUMBERS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const;

export class Teardown {
  private readonly steps: Step[] = [];
  private running: Promise<void> | undefined;

  constructor(private readonly log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)) {}

  add(what: string, undo: () => Promise<void> | void): void {
    this.steps.push({ what, undo });
  }

  /** A temp dir, removed at the end. */
  removeDir(dir: string): void {
    this.add(`remove ${dir}`, () => rmSync(dir, { recursive: true, force: true }));
  }

  /** A mount point, unmounted at the end (lazily when busy). */
  unmount(mountpoint: string): void {
    this.add(`unmount ${mountpoint}`, () => {
      try {
        execFileSync('umount', [mountpoint], { stdio: 'ignore' });
      } catch {
        execFileSync('umount', ['-l', mountpoint], { stdio: 'ignore' });
      }
    });
  }

  run(): Promise<void> {
    this.running ??= (async () => {
      for (const step of this.steps.splice(0).reverse()) {
        try {
          await step.undo();
        } catch (err) {
          this.log(`cleanup: could not ${step.what}: ${(err as Error).message}`);
        }
      }
    })();
    return this.running;
  }

  /**
   * On a signal: undo everything, then exit as the signal would. `on`, not
   * `once`: the test registry's own handler re-raises the signal when it finds
   * no other listener, which would end the process before the undo steps ran.
   */
  onSignals(): void {
    for (const [signal, number] of Object.entries(SIGNAL_NUMBERS)) {
      process.on(signal, () => {
        this.log(`\n${signal}: cleaning up`);
        void this.run().finally(() => process.exit(128 + number));
      });
    }
  }
}
