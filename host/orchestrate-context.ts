// What the two conversion paths share: the caller's options, the parsed
// reference, the name an image is registered under, logging and step timings.
import { BuilderError } from '../proto/errors.js';
import { parseReference, type ImageReference } from '../agent/oci/reference.js';
import type { ConnectOptions } from './client.js';
import type { AgentAddress } from './dial.js';
import type { ConvertImageFn, EngineLogLevel, EngineRegistryOptions, ProgressUpdate } from './engine.js';
import { parseImageName } from './imagename.js';
import type { ImageSource } from './metadata.js';
import type { ImageStore } from './store.js';
import type { DiskFormatName } from './validate.js';

/**
 * Credentials and transport for the registry. The agent is sent insecure, username,
 * password, bearerToken and caPem; files (authFile, caFile) and the rest are the host's.
 */
export type RegistryAccess = EngineRegistryOptions;

export interface ConversionOptions {
  /** `host:port/repo:tag`, `host:port/repo@sha256:...` or both (the digest wins). */
  reference: string;
  store: ImageStore;
  registry?: RegistryAccess;
  /** os/arch[/variant]; default: the agent's own platform, or the host's on the host path. */
  platform?: string;
  /** lz4 (default) | lz4hc[,N] | none. */
  compression?: string;
  /** When given, a ready entry of the digest in the other format is refused (the store keeps one disk per digest). */
  format?: DiskFormatName;
  /** Bound on the host-side conversion; none by default. */
  hostTimeoutMs?: number;
  /** Cap on bytes written while applying layers (both paths); the engine's default when unset. */
  sizeLimitBytes?: number;
  /** Cap on the size of a disk copied into the store; default DEFAULT_DISK_SIZE_LIMIT. */
  diskSizeLimit?: number;
  /** Where the host-side conversion puts its work area. */
  workDir?: string;
  /** The conversion engine (agent/convert.ts's convertImage); needed by the host path. */
  convertImage?: ConvertImageFn;
  /** Cancels everything; a cancelled fast path never falls back. */
  signal?: AbortSignal;
  onProgress?(path: ImageSource, progress: ProgressUpdate): void;
  onLog?(level: EngineLogLevel, message: string): void;
}

export type FallbackMode = 'host' | 'none';

export interface ConvertAndRegisterOptions extends ConversionOptions {
  /** unix:PATH | hybrid-vsock:PATH:PORT | vsock:CID:PORT. */
  agent: AgentAddress | string;
  /** The source volume as the host sees it: a directory, or an ext4 image file. */
  volume: string;
  /** Default 'host'. */
  fallback?: FallbackMode;
  /** Asked of the agent (relative to its output dir); the answer must name it. Default: the agent derives one. */
  outputName?: string;
  /** Bound on the agent's conversion (sent as its timeout too); Cancel is sent when it elapses. */
  timeoutMs?: number;
  /** After a Cancel (timeout), how long to wait for the agent's final event; default 10 000. */
  cancelGraceMs?: number;
  /** Dial and handshake options (attempts, backoff, deadlines). */
  connect?: ConnectOptions;
  /** Resolve a tag on the host first, so a ready digest costs a manifest fetch instead of a conversion. */
  resolveFirst?: boolean;
  /** Delete the agent's disk from a directory volume once it is registered. */
  cleanupVolume?: boolean;
}

/** One step of a conversion and how long it took. */
export interface StepTiming {
  step: 'check-store' | 'resolve' | 'dial' | 'agent-convert' | 'register' | 'host-convert' | 'cleanup-volume';
  millis: number;
}

export interface Orchestration {
  readonly options: ConversionOptions;
  readonly ref: ImageReference;
  readonly timings: StepTiming[];
  log(level: EngineLogLevel, message: string): void;
  /** Runs `work` as `step`, recording its duration whether it succeeds or not. */
  step<T>(step: StepTiming['step'], work: () => Promise<T>): Promise<T>;
  /** The store name for the image `manifestDigest` of this reference. */
  nameFor(manifestDigest: string): string;
}

const ANY_DIGEST = `sha256:${'0'.repeat(64)}`;

export function startOrchestration(options: ConversionOptions): Orchestration {
  const ref = parseReference(options.reference);
  const orchestration: Orchestration = {
    options,
    ref,
    timings: [],
    log: (level, message) => options.onLog?.(level, message),
    async step(step, work) {
      const started = performance.now();
      try {
        return await work();
      } finally {
        orchestration.timings.push({ step, millis: Math.round(performance.now() - started) });
      }
    },
    nameFor: (manifestDigest) => registrationName(ref, manifestDigest),
  };
  // The store must be able to file this reference at all (e.g. no repository component named `tags`).
  parseImageName(registrationName(ref, ref.digest ?? ANY_DIGEST));
  return orchestration;
}

/**
 * `registry/repository:tag`, or `registry/repository@digest` when the reference
 * is pinned to that manifest. A digest wins over a tag, as in a pull, so a
 * pinned reference points no tag; one pinned to an index (whose digest is not
 * the platform manifest's) is filed under its repository alone.
 */
export function registrationName(ref: ImageReference, manifestDigest: string): string {
  const repo = `${ref.registry}/${ref.repository}`;
  if (ref.digest !== undefined) return ref.digest === manifestDigest ? `${repo}@${manifestDigest}` : repo;
  return ref.tag === undefined ? repo : `${repo}:${ref.tag}`;
}

/** A ready entry in another format than asked for cannot be the answer. */
export function checkEntryFormat(format: DiskFormatName | undefined, entry: { name: string; format: DiskFormatName }): void {
  if (format !== undefined && entry.format !== format) {
    throw new BuilderError('UNSUPPORTED_FORMAT', `${entry.name} is in the store as ${entry.format}, not ${format}; the store keeps one disk per manifest digest`);
  }
}
