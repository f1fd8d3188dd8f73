// The host-side conversion path: the same engine the agent runs
// (agent/convert.ts), on the host, writing into a private work directory of the
// store (never the guest's volume), then registered like any disk: copied with
// the engine's size and sha256 as claims, so a short or damaged file is caught.
import { join } from 'node:path';
import { convertImage } from '../agent/engine.js';
import type { PhaseTiming } from '../core/progress.js';
import { asBuilderError, BuilderError } from '../proto/errors.js';
import { openDiskFile } from './diskcopy.js';
import { diskFileName, runtimeConfigFromOci, type FallbackReason } from './metadata.js';
import { checkEntryFormat, type Orchestration } from './orchestrate-context.js';
import { registerPrebuiltImage, type RegisterImageResult } from './store.js';
import { makeStoreWorkDir } from './store-work.js';

export async function runHostPath(run: Orchestration, fallbackReason: FallbackReason | undefined): Promise<RegisterImageResult & { engineTimings: PhaseTiming[] }> {
  const { options } = run;
  const format = options.format ?? 'erofs';
  const work = await makeStoreWorkDir(options.store, options.signal);
  try {
    const outputPath = join(work.path, diskFileName(format));
    const result = await run.step('host-convert', () =>
      withDeadline(options.hostTimeoutMs, options.signal, (signal) =>
        convertImage({
          reference: options.reference,
          ...(options.registry !== undefined && { registry: options.registry }),
          ...(options.platform !== undefined && { platform: options.platform }),
          ...(options.compression !== undefined && { compression: options.compression }),
          format,
          outputPath,
          ...(options.workDir !== undefined && { workDir: options.workDir }),
          ...(options.sizeLimitBytes !== undefined && { sizeLimitBytes: options.sizeLimitBytes }),
          signal,
          onProgress: (progress) => options.onProgress?.('host', progress),
          onLog: (level, message) => run.log(level, `host conversion: ${message}`),
        }),
      ),
    );
    if (result.outputPath !== outputPath) {
      throw new BuilderError('INTERNAL', `the engine wrote ${result.outputPath}, not the requested ${outputPath}`);
    }
    const registered = await run.step('register', async () =>
      registerPrebuiltImage(options.store, {
        reference: run.fileAs(result.manifestDigest),
        manifestDigest: result.manifestDigest,
        format: result.format,
        source: 'host',
        ...(fallbackReason !== undefined && { fallbackReason }),
        config: runtimeConfigFromOci(result.image.config),
        configDigest: result.configDigest,
        platform: result.platform,
        compression: result.compression,
        erofsUtilsVersion: result.erofsUtilsVersion,
        disk: await openDiskFile(outputPath),
        expected: { sizeBytes: result.sizeBytes, sha256: result.sha256 },
        ...(options.diskSizeLimit !== undefined && { sizeLimit: options.diskSizeLimit }),
        ...(options.signal !== undefined && { signal: options.signal }),
      }),
    );
    checkEntryFormat(options.format, registered.entry);
    return { ...registered, engineTimings: result.timings };
  } finally {
    await work.remove();
  }
}

/** Runs `work` with a signal that also aborts after `timeoutMs`; a deadline that fired is TIMEOUT, whatever `work` threw. */
async function withDeadline<T>(timeoutMs: number | undefined, outer: AbortSignal | undefined, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const deadline = new BuilderError('TIMEOUT', `the host-side conversion did not finish within ${timeoutMs} ms`);
  const timer = timeoutMs === undefined ? undefined : setTimeout(() => controller.abort(deadline), timeoutMs);
  const onAbort = (): void => controller.abort(outer?.reason ?? new BuilderError('CANCELLED', 'cancelled'));
  if (outer?.aborted) onAbort();
  else outer?.addEventListener('abort', onAbort, { once: true });
  try {
    return await work(controller.signal);
  } catch (err) {
    throw controller.signal.reason === deadline ? deadline : asBuilderError(err);
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', onAbort);
  }
}
