// The host orchestrator: an image always becomes ready, through the fast path
// (the builder VM's agent converts, the host validates and copies) or, when any
// step of that fails, through the host-side conversion. Never silently: the
// result says which path produced the image and why the fast path was left.
import { resolveImage } from '../agent/engine.js';
import { checkOutputName } from '../core/output-name.js';
import type { PhaseTiming } from '../core/progress.js';
import { asBuilderError, BuilderError } from '../proto/errors.js';
import type { AgentInfo } from './client.js';
import { guestText, runFastPath } from './fast-path.js';
import { runHostPath } from './host-path.js';
import type { FallbackReason, ImageSource } from './metadata.js';
import {
  checkEntryFormat,
  startOrchestration,
  type ConversionOptions,
  type ConvertAndRegisterOptions,
  type Orchestration,
  type StepTiming,
} from './orchestrate-context.js';
import { findReadyImage, type ImageEntry } from './store.js';
import { openVolume } from './volume.js';

export type { ConversionOptions, ConvertAndRegisterOptions, FallbackMode, RegistryAccess, StepTiming } from './orchestrate-context.js';

export interface ConvertAndRegisterResult {
  entry: ImageEntry;
  /** The path that produced the stored disk (the entry's source). */
  path: ImageSource;
  /** True when this call converted or copied nothing new: the digest was ready already. */
  alreadyPresent: boolean;
  /** How a ready digest was found before any conversion ran. */
  knownBy?: 'pinned-digest' | 'resolved-on-host';
  /** Set when this call left the fast path: its error, as code and message. */
  fallbackReason?: FallbackReason;
  /** The agent's hello, when the fast path got that far and produced the image. */
  agent?: AgentInfo;
  timings: StepTiming[];
  /** The conversion's phases (resolve, apply, mkfs, finalize): the agent's word on the fast path, the host engine's own on the host path. */
  engineTimings?: PhaseTiming[];
}

/** Resolving a tag before asking the agent is an optimisation: bounded tightly, its failure only logged. */
const RESOLVE_FIRST_TIMEOUT_MS = 10_000;

/**
 * Fast path first; on any failure of it (dial, agent Error, validation, copy,
 * timeout, protocol) the host-side conversion with `fallback: 'host'` (the
 * default), or the fast path's error with `fallback: 'none'`. A cancelled call
 * never falls back. A reference pinned to a digest that is ready in the store
 * returns at once, without dialing.
 */
export async function convertAndRegister(options: ConvertAndRegisterOptions): Promise<ConvertAndRegisterResult> {
  const fallback = options.fallback ?? 'host';
  // A bad output name is the caller's mistake, not a fast-path failure to fall back from:
  // the agent's own rule (core/output-name.ts), checked before anything is dialed;
  // likewise a volume that is missing or could never be read right (JOURNALED_VOLUME).
  if (options.outputName !== undefined) checkOutputName(options.outputName);
  const volume = await openVolume(options.volume);
  const run = startOrchestration(options);
  const known = await findKnownImage(run, options.resolveFirst === true);
  if (known.result) return known.result;

  let fastPathError: BuilderError;
  try {
    const done = await runFastPath(run, options, volume, known.manifestDigest);
    return finish(run, done.entry, done.alreadyPresent, { agent: done.agent, engineTimings: done.engineTimings });
  } catch (err) {
    fastPathError = asBuilderError(err);
  }
  if (options.signal?.aborted) throw asBuilderError(options.signal.reason ?? fastPathError, 'CANCELLED');
  const fallbackReason = { code: fastPathError.code, message: guestText(fastPathError.message, 2000) };
  if (fallback === 'none') throw new BuilderError(fastPathError.code, fallbackReason.message, { cause: fastPathError });
  run.log('warn', `fast path failed (${fallbackReason.code}: ${fallbackReason.message}); converting on the host`);
  try {
    return await hostPath(run, fallbackReason);
  } catch (err) {
    const error = asBuilderError(err);
    throw new BuilderError(error.code, `${error.message} (host-side conversion, after the fast path failed with ${fallbackReason.code})`, { cause: error });
  }
}

/** The host-side conversion alone (`builder-host convert-local`). */
export async function convertLocally(options: ConversionOptions): Promise<ConvertAndRegisterResult> {
  const run = startOrchestration(options);
  const known = await findKnownImage(run, false);
  return known.result ?? hostPath(run, undefined);
}

/** The host path talks to the registry anyway: resolving first makes a ready tag cost one manifest fetch. */
async function hostPath(run: Orchestration, fallbackReason: FallbackReason | undefined): Promise<ConvertAndRegisterResult> {
  const known = run.ref.digest === undefined ? await findKnownImage(run, true) : {};
  if (known.result) return { ...known.result, ...(fallbackReason && { fallbackReason }) };
  const done = await runHostPath(run, fallbackReason);
  return finish(run, done.entry, done.alreadyPresent, { engineTimings: done.engineTimings, ...(fallbackReason && { fallbackReason }) });
}

interface KnownImage {
  /** Set when the image is ready already. */
  result?: ConvertAndRegisterResult;
  /** What the reference resolved to on the host (or is pinned to), for checking the agent's answer. */
  manifestDigest?: string;
}

/** A pinned digest is looked up in the store; with `resolve`, a tag is first resolved on the host. */
async function findKnownImage(run: Orchestration, resolve: boolean): Promise<KnownImage> {
  const { ref, options } = run;
  let manifestDigest = ref.digest;
  let knownBy: ConvertAndRegisterResult['knownBy'] = 'pinned-digest';
  if (manifestDigest === undefined && resolve) {
    knownBy = 'resolved-on-host';
    manifestDigest = await run
      .step('resolve', async () => {
        const image = await resolveImage(ref, {
          ...options.registry,
          ...(options.platform !== undefined && { platform: options.platform }),
          ...(options.signal !== undefined && { signal: options.signal }),
          timeoutMs: RESOLVE_FIRST_TIMEOUT_MS,
          retries: 1,
        });
        return image.manifestDigest;
      })
      .catch((err: unknown) => {
        if (options.signal?.aborted) throw asBuilderError(err, 'CANCELLED');
        run.log('info', `could not resolve ${options.reference} on the host (${asBuilderError(err).message}); converting without the store check`);
        return undefined;
      });
  }
  if (manifestDigest === undefined) return {};
  const digest = manifestDigest;
  const entry = await run.step('check-store', () => findReadyImage(options.store, run.fileAs(digest), digest));
  if (entry === undefined) return { manifestDigest };
  checkEntryFormat(options.format, entry);
  run.log('info', `${entry.name} (${entry.manifestDigest}) is ready in the store already`);
  return { manifestDigest, result: finish(run, entry, true, { knownBy }) };
}

function finish(run: Orchestration, entry: ImageEntry, alreadyPresent: boolean, extra: Partial<ConvertAndRegisterResult>): ConvertAndRegisterResult {
  return { entry, path: entry.source, alreadyPresent, ...extra, timings: run.timings };
}
