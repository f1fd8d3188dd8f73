// What the two conversion paths share: the caller's options, the parsed
// reference, the name an image is registered under, logging and step timings.
import type { RegistryOptions } from '../agent/engine.js';
import type { DiskFormat } from '../core/disk-format.js';
import type { ConvertProgress, LogLevel } from '../core/progress.js';
import { parseReference, type ImageReference } from '../core/reference.js';
import { BuilderError } from '../proto/errors.js';
import type { ConnectOptions } from './client.js';
import type { AgentAddress } from './dial.js';
import type { ImageSource } from './metadata.js';
import { storeName } from './store-name.js';
import type { ImageStore } from './store.js';

/**
 * Credentials and transport for the registry. The agent is sent insecure, username,
 * password, bearerToken and caPem; files (authFile, caFile) and the rest are the host's.
 */
export type RegistryAccess = Omit<RegistryOptions, 'signal'>;

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
  format?: DiskFormat;
  /** Bound on the host-side conversion; none by default. */
  hostTimeoutMs?: number;
  /** Cap on bytes written while applying layers (both paths); the engine's default when unset. */
  sizeLimitBytes?: number;
  /** Cap on the size of a disk copied into the store; default DEFAULT_DISK_SIZE_LIMIT. */
  diskSizeLimit?: number;
  /** Where the host-side conversion puts its work area. */
  workDir?: string;
  /** Cancels everything; a cancelled fast path never falls back. */
  signal?: AbortSignal;
  onProgress?(path: ImageSource, progress: ConvertProgress): void;
  onLog?(level: LogLevel, message: string): void;
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
  log(level: LogLevel, message: string): void;
  /** Runs `work` as `step`, recording its duration whether it succeeds or not. */
  step<T>(step: StepTiming['step'], work: () => Promise<T>): Promise<T>;
  /** What the image `manifestDigest` of this reference is filed under in the store. */
  fileAs(manifestDigest: string): ImageReference;
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
    fileAs: (manifestDigest) => registrationReference(ref, manifestDigest),
  };
  // The store must be able to file this reference at all (e.g. no repository component named `tags`).
  storeName(registrationReference(ref, ref.digest ?? ANY_DIGEST), ref.digest ?? ANY_DIGEST);
  return orchestration;
}

/**
 * What a converted image is filed under: the reference itself (its tag, or its
 * digest when pinned to that manifest: a digest wins over a tag, as in a pull), or,
 * for a reference pinned to an index (whose digest is not the platform manifest's),
 * its repository alone.
 */
export function registrationReference(ref: ImageReference, manifestDigest: string): ImageReference {
  if (ref.digest === undefined || ref.digest === manifestDigest) return ref;
  return { registry: ref.registry, repository: ref.repository };
}

/** A ready entry in another format than asked for cannot be the answer. */
export function checkEntryFormat(format: DiskFormat | undefined, entry: { name: string; format: DiskFormat }): void {
  if (format !== undefined && entry.format !== format) {
    throw new BuilderError('UNSUPPORTED_FORMAT', `${entry.name} is in the store as ${entry.format}, not ${format}; the store keeps one disk per manifest digest`);
  }
}
