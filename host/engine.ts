// The conversion engine as the host uses it: agent/convert.ts's convertImage,
// run on the host for the fallback path and `convert-local`. The orchestrator
// takes it as a dependency (tests pass it in); the CLI gets it from
// loadConvertImage(), the one place that wires the real pipeline.
import { convertImage } from '../agent/convert.js';
import type { ResolvedImage } from '../agent/oci/types.js';
import type { DiskFormatName } from './validate.js';

export type EngineLogLevel = 'debug' | 'info' | 'warn' | 'error';
export type EnginePhase = 'resolve' | 'pull' | 'apply' | 'mkfs' | 'finalize';

/** Progress of a conversion, from either path (the agent's proto Progress is mapped to this). */
export interface ProgressUpdate {
  phase: EnginePhase;
  /** 1-based layer being applied; 0 outside the apply phase. */
  layerIndex: number;
  layerCount: number;
  /** Compressed bytes pulled so far over all layers, and their total. */
  bytesDone: number;
  bytesTotal: number;
}

/** Registry access as the engine's resolver takes it (agent/oci/registry.ts). */
export interface EngineRegistryOptions {
  insecure?: boolean;
  username?: string;
  password?: string;
  bearerToken?: string;
  caPem?: string;
  /** A docker config.json whose `auths` entry is used when no credentials are given. */
  authFile?: string;
}

/** The part of agent/convert.ts's ConvertImageOptions the host fills in. */
export interface EngineOptions {
  reference: string;
  registry?: EngineRegistryOptions;
  platform?: string;
  compression?: string;
  format?: DiskFormatName;
  /** Absolute path of the disk file to write. */
  outputPath: string;
  workDir?: string;
  sizeLimitBytes?: number;
  signal?: AbortSignal;
  onProgress?(progress: ProgressUpdate): void;
  onLog?(level: EngineLogLevel, message: string): void;
}

/** The part of agent/convert.ts's ConvertImageResult the host reads. */
export interface EngineResult {
  outputPath: string;
  /** A multiple of 4096. */
  sizeBytes: number;
  /** sha256:<hex> of the disk file. */
  sha256: string;
  manifestDigest: string;
  configDigest: string;
  image: ResolvedImage;
  timings: { phase: EnginePhase; millis: number }[];
  erofsUtilsVersion: string;
  format: DiskFormatName;
  platform: string;
}

export type ConvertImageFn = (options: EngineOptions) => Promise<EngineResult>;

/** The real pipeline, for the CLI. */
export function loadConvertImage(): Promise<ConvertImageFn> {
  return Promise.resolve(convertImage);
}
