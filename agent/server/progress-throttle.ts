import type { IProgress } from '../../proto/builder.js';

/** At most four progress events a second: enough for a progress bar, cheap on the wire. */
export const PROGRESS_INTERVAL_MS = 250;

/**
 * Rate-limits progress updates. A change of phase goes out at once (dropping a pending
 * update of the old phase, so events stay in order); other updates go out at most once
 * per interval, the latest one winning, sent at the end of the interval.
 */
export class ProgressThrottle {
  private lastSentAt = -Infinity;
  private lastPhase: number | undefined;
  private pending: IProgress | undefined;
  private timer: NodeJS.Timeout | undefined;
  private finished = false;

  constructor(
    private readonly send: (update: IProgress) => void,
    private readonly intervalMs = PROGRESS_INTERVAL_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  push(update: IProgress): void {
    if (this.finished) return;
    const phase = update.phase ?? 0;
    if (phase !== this.lastPhase || this.now() - this.lastSentAt >= this.intervalMs) {
      this.emit(update);
      return;
    }
    this.pending = update;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      const latest = this.pending;
      if (latest !== undefined) this.emit(latest);
    }, this.lastSentAt + this.intervalMs - this.now());
  }

  /** Drops whatever is pending; nothing is sent after this (the final event follows). */
  finish(): void {
    this.finished = true;
    this.pending = undefined;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private emit(update: IProgress): void {
    this.pending = undefined;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.lastSentAt = this.now();
    this.lastPhase = update.phase ?? 0;
    this.send(update);
  }
}
