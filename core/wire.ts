// The one mapping between the project's vocabulary (core/) and the protocol's
// messages (proto/builder.proto): formats, phases, log levels, error codes and
// progress, both ways. The agent encodes with it, the host decodes with it;
// nothing else reads or writes the proto's enum numbers.
import { DiskFormat as WireFormat, LogLevel as WireLogLevel, Phase as WirePhase, type DiskFormatValue, type IProgress, type PhaseValue } from '../proto/builder.js';
import { errorCodeEnum, type ErrorCode } from '../proto/errors.js';
import { DEFAULT_DISK_FORMAT, type DiskFormat } from './disk-format.js';
import type { ConvertProgress, LogLevel, PhaseName, PhaseTiming } from './progress.js';

const FORMATS: Record<DiskFormat, DiskFormatValue> = { erofs: WireFormat.EROFS, ext4: WireFormat.EXT4 };

export function formatToWire(format: DiskFormat): DiskFormatValue {
  return FORMATS[format];
}

/** The format a wire value names; UNSPECIFIED means the default (EROFS); undefined for a value this side does not know. */
export function formatFromWire(value: number | null | undefined): DiskFormat | undefined {
  const unspecified: number = WireFormat.DISK_FORMAT_UNSPECIFIED;
  if ((value ?? unspecified) === unspecified) return DEFAULT_DISK_FORMAT;
  return (Object.keys(FORMATS) as DiskFormat[]).find((format) => FORMATS[format] === value);
}

const PHASES: Record<PhaseName, PhaseValue> = { resolve: WirePhase.RESOLVE, apply: WirePhase.APPLY, mkfs: WirePhase.MKFS, finalize: WirePhase.FINALIZE };

export function phaseToWire(phase: PhaseName): PhaseValue {
  return PHASES[phase];
}

/** PULL overlaps APPLY: both are the apply phase here. Undefined for an unknown value. */
export function phaseFromWire(value: number | null | undefined): PhaseName | undefined {
  if (value === WirePhase.PULL) return 'apply';
  return (Object.keys(PHASES) as PhaseName[]).find((phase) => PHASES[phase] === value);
}

const LEVELS: Record<LogLevel, number> = { debug: WireLogLevel.DEBUG, info: WireLogLevel.INFO, warn: WireLogLevel.WARN, error: WireLogLevel.ERROR };

export function logLevelToWire(level: LogLevel): number {
  return LEVELS[level];
}

/** An unknown level reads as info: a log line is never dropped for its level. */
export function logLevelFromWire(value: number | null | undefined): LogLevel {
  return (Object.keys(LEVELS) as LogLevel[]).find((level) => LEVELS[level] === value) ?? 'info';
}

export function errorCodeToWire(code: ErrorCode): number {
  return errorCodeEnum[code];
}

/** An unknown or unspecified number is INTERNAL: the peer failed in a way this side cannot name. */
export function errorCodeFromWire(value: number | null | undefined): ErrorCode {
  const name: string | undefined = errorCodeEnum[value ?? 0];
  if (name === undefined || name === 'ERROR_CODE_UNSPECIFIED') return 'INTERNAL';
  return name as ErrorCode;
}

export function progressToWire(progress: ConvertProgress): IProgress {
  return {
    phase: phaseToWire(progress.phase),
    layer_index: progress.layerIndex,
    layer_count: progress.layerCount,
    bytes_done: progress.bytesDone,
    bytes_total: progress.bytesTotal,
  };
}

export function progressFromWire(progress: IProgress): ConvertProgress {
  return {
    phase: phaseFromWire(progress.phase) ?? 'resolve',
    layerIndex: progress.layer_index ?? 0,
    layerCount: progress.layer_count ?? 0,
    bytesDone: progress.bytes_done ?? 0,
    bytesTotal: progress.bytes_total ?? 0,
  };
}

export function timingsToWire(timings: readonly PhaseTiming[]): { phase: PhaseValue; millis: number }[] {
  return timings.map((timing) => ({ phase: phaseToWire(timing.phase), millis: timing.millis }));
}

/** The timings a peer reported, dropping entries this side cannot read. */
export function timingsFromWire(timings: readonly { phase?: number | null; millis?: number | null }[] | null | undefined): PhaseTiming[] {
  return (timings ?? []).flatMap((timing) => {
    const phase = phaseFromWire(timing.phase);
    const millis = Number(timing.millis ?? 0);
    return phase !== undefined && Number.isFinite(millis) ? [{ phase, millis }] : [];
  });
}
