// One self-overwriting progress line on a terminal; nothing at all when the
// stream is not a TTY (logs and pipes get no control characters).
import type { ConvertProgress } from '../core/progress.js';

const REDRAW_MS = 100;

export class ProgressLine {
  private lastDraw = 0;
  private lastPhase: ConvertProgress['phase'] | undefined;
  private shown = false;

  constructor(private readonly out: NodeJS.WriteStream) {}

  private get enabled(): boolean {
    return this.out.isTTY === true;
  }

  update(progress: ConvertProgress): void {
    if (!this.enabled) return;
    const now = Date.now();
    // Updates within a phase are throttled; a new phase is always drawn.
    if (progress.phase === this.lastPhase && now - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = now;
    this.lastPhase = progress.phase;
    this.out.write(`\r\x1b[2K${describe(progress)}`);
    this.shown = true;
  }

  /** A line of its own above the progress line (or plain, without a TTY). */
  log(line: string): void {
    this.clear();
    this.out.write(`${line}\n`);
  }

  clear(): void {
    if (!this.shown) return;
    this.out.write('\r\x1b[2K');
    this.shown = false;
  }
}

function describe(p: ConvertProgress): string {
  if (p.phase !== 'apply' || p.bytesTotal === 0) return `${p.phase}...`;
  const width = 30;
  const fraction = Math.min(1, p.bytesDone / p.bytesTotal);
  const filled = Math.round(fraction * width);
  const mib = (bytes: number): string => (bytes / 1048576).toFixed(1);
  return `apply layer ${p.layerIndex}/${p.layerCount} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${mib(p.bytesDone)}/${mib(p.bytesTotal)} MiB`;
}
