// What a conversion reports while it runs, in the words both paths (the agent's
// and the host's) and both bins use: its phases, progress, timings and log levels.

/** The conversion's phases, in order. Pulling overlaps applying and is reported as apply. */
export const PHASES = ['resolve', 'apply', 'mkfs', 'finalize'] as const;
export type PhaseName = (typeof PHASES)[number];

export interface ConvertProgress {
  phase: PhaseName;
  /** 1-based layer being applied; 0 outside the apply phase. */
  layerIndex: number;
  layerCount: number;
  /** Compressed bytes pulled so far over all layers, and their total from the manifest. */
  bytesDone: number;
  bytesTotal: number;
}

export interface PhaseTiming {
  phase: PhaseName;
  millis: number;
}

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type Logger = (level: LogLevel, message: string) => void;
