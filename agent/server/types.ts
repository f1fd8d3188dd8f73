import type { DiskFormatValue, IProgress, IResult } from '../../proto/builder.js';
import type { erofsbuilder } from '../../proto/v1.js';
import type { LogLevel } from '../../core/progress.js';

/** A decoded ConvertRequest: every proto3 field is present, with its default when unset. */
export type ConvertRequestMessage = erofsbuilder.v1.ConvertRequest;

/** One conversion as the server hands it to the pipeline. */
export interface ConvertJob {
  readonly request: ConvertRequestMessage;
  /** Absolute, symlink-free path of the agent's output directory (the source volume). */
  readonly outputDir: string;
  /**
   * Absolute path for `request.output_name`, already checked to stay inside `outputDir`.
   * Undefined when the request left the name empty: the pipeline derives one from the
   * manifest digest and resolves it with `resolveOutputPath`.
   */
  readonly outputPath: string | undefined;
  /** `--work-dir` of the agent, if given. */
  readonly workDir: string | undefined;
  /** Aborted on Cancel, timeout, client disconnect and agent shutdown; `reason` is a BuilderError. */
  readonly signal: AbortSignal;
  /** Reports progress; the server throttles what goes on the wire. */
  progress(update: IProgress): void;
  /** A log line for the client (sent as a Log event). */
  log(level: LogLevel, message: string): void;
}

/**
 * The conversion pipeline, injected into the server. Resolves with the Result (its `path`
 * relative to `outputDir`), throws a BuilderError on failure, and must leave nothing in the
 * output directory when it fails or is aborted.
 */
export type Converter = (job: ConvertJob) => Promise<IResult>;

/** What the agent announces in its hello. */
export interface AgentCapabilities {
  erofsUtilsVersion: string;
  compressions: string[];
  formats: DiskFormatValue[];
}

export type CapabilitiesProvider = AgentCapabilities | (() => AgentCapabilities | Promise<AgentCapabilities>);
