// The fast path: ask the builder VM's agent to convert, then distrust its
// answer. Everything in the Result is the guest's word: the path is walked on
// the volume without following anything, the size and sha256 are claims checked
// while copying, the manifest digest is checked against what the host knows of
// the reference, and strings are bounded before they reach metadata or a log.
import { resolveImage } from '../agent/engine.js';
import { isSha256Digest } from '../core/digest.js';
import type { DiskFormat } from '../core/disk-format.js';
import { formatPlatform, parsePlatform } from '../core/platform.js';
import type { PhaseTiming } from '../core/progress.js';
import { formatFromWire, formatToWire, logLevelFromWire, progressFromWire, timingsFromWire } from '../core/wire.js';
import type { IConvertRequest, IResult } from '../proto/builder.js';
import { BuilderError } from '../proto/errors.js';
import { canonicalCompression } from '../core/compression.js';
import { AgentClient, type AgentInfo } from './client.js';
import { runtimeConfigFromProto } from './metadata.js';
import { checkEntryFormat, type ConvertAndRegisterOptions, type Orchestration } from './orchestrate-context.js';
import { registerPrebuiltImage, type RegisterImageResult } from './store.js';
import type { Volume } from './volume-types.js';

export interface FastPathResult extends RegisterImageResult {
  agent: AgentInfo;
  /** The agent's own phase timings (its word; for display only). */
  engineTimings: PhaseTiming[];
}

export async function runFastPath(run: Orchestration, options: ConvertAndRegisterOptions, volume: Volume, expectedDigest: string | undefined): Promise<FastPathResult> {
  const format = options.format ?? 'erofs';
  const client = await run.step('dial', () => AgentClient.connect(options.agent, { ...options.connect, ...(options.signal && { signal: options.signal }) }));
  let result: IResult;
  try {
    result = await run.step('agent-convert', () =>
      client.convert(convertRequest(options, format), {
        onProgress: (progress) => options.onProgress?.('agent', progressFromWire(progress)),
        onLog: (level, message) => run.log(logLevelFromWire(level), `agent: ${guestText(message, 2000)}`),
        ...(options.signal !== undefined && { signal: options.signal }),
        ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
        ...(options.cancelGraceMs !== undefined && { cancelGraceMs: options.cancelGraceMs }),
      }),
    );
  } finally {
    client.close();
  }
  const path = result.path ?? '';
  if (options.outputName !== undefined && path !== options.outputName) {
    throw new BuilderError('PATH_REJECTED', `the agent answered ${JSON.stringify(guestText(path, 300))}, not the requested output name ${options.outputName}`);
  }
  const answered = formatFromWire(result.format);
  if (answered !== format) throw new BuilderError('PROTOCOL_ERROR', `the agent answered an ${answered ?? 'unknown'} disk for an ${format} request`);
  const manifestDigest = await checkManifestDigest(run, result, expectedDigest);
  const platform = answeredPlatform(result.platform);

  const registered = await run.step('register', async () =>
    registerPrebuiltImage(options.store, {
      reference: run.fileAs(manifestDigest),
      manifestDigest,
      format,
      source: 'agent',
      config: runtimeConfigFromProto(result.config),
      ...(isSha256Digest(result.config_digest ?? '') && { configDigest: result.config_digest! }),
      ...(platform !== undefined && { platform }),
      // The agent reports no compression: the request's, in the form a conversion reports it (the agent refuses what it cannot do).
      compression: format === 'erofs' ? canonicalCompression(options.compression) : 'none',
      ...(result.erofs_utils_version && { erofsUtilsVersion: guestText(result.erofs_utils_version, 100) }),
      disk: await volume.openDisk(path, { ...(options.diskSizeLimit !== undefined && { sizeLimit: options.diskSizeLimit }) }),
      // Passed as sent: a missing sha256 or a 0 size is refused like a lying one.
      expected: { sizeBytes: result.size_bytes ?? 0, sha256: result.sha256 ?? '' },
      ...(options.diskSizeLimit !== undefined && { sizeLimit: options.diskSizeLimit }),
      ...(options.signal !== undefined && { signal: options.signal }),
    }),
  );
  checkEntryFormat(options.format, registered.entry);
  if (options.cleanupVolume) {
    await run.step('cleanup-volume', async () => {
      if (volume.removeDisk === undefined) return run.log('warn', `the ${volume.kind} volume is not cleaned by the host`);
      await volume.removeDisk(path).catch((err: Error) => run.log('warn', `could not remove ${path} from the volume: ${err.message}`));
    });
  }
  return { ...registered, agent: client.agent, engineTimings: timingsFromWire(result.timings) };
}

function convertRequest(options: ConvertAndRegisterOptions, format: DiskFormat): IConvertRequest {
  const registry = options.registry ?? {};
  return {
    image_ref: options.reference,
    registry: {
      insecure: registry.insecure ?? false,
      username: registry.username ?? '',
      password: registry.password ?? '',
      bearer_token: registry.bearerToken ?? '',
      ca_pem: registry.caPem ?? '',
    },
    platform: options.platform ?? '',
    compression: options.compression ?? '',
    format: formatToWire(format),
    output_name: options.outputName ?? '',
    size_limit_bytes: options.sizeLimitBytes ?? 0,
  };
}

/**
 * The manifest digest the disk is filed under comes from the guest, so it must
 * agree with the host's own knowledge: the digest resolved on the host, or the
 * one the reference is pinned to. A pin may name an index, whose platform
 * manifest has another digest: then the host resolves the reference for the
 * platform the agent says it converted and requires that digest.
 */
async function checkManifestDigest(run: Orchestration, result: IResult, expected: string | undefined): Promise<string> {
  const digest = result.manifest_digest ?? '';
  if (!isSha256Digest(digest)) throw new BuilderError('PROTOCOL_ERROR', `the agent answered a malformed manifest digest ${JSON.stringify(guestText(digest, 100))}`);
  if (expected === undefined || digest === expected) return digest;
  const pinned = run.ref.digest;
  if (pinned === undefined || expected !== pinned) {
    throw new BuilderError('DIGEST_MISMATCH', `the agent converted manifest ${digest}, the reference resolves to ${expected}`);
  }
  const platform = answeredPlatform(result.platform);
  let resolved: string;
  try {
    resolved = await run.step('resolve', async () => {
      const image = await resolveImage(run.ref, { ...run.options.registry, ...(platform && { platform }), ...(run.options.signal && { signal: run.options.signal }) });
      return image.manifestDigest;
    });
  } catch (err) {
    throw new BuilderError('DIGEST_MISMATCH', `the agent converted manifest ${digest} for a reference pinned to ${pinned}, and the host cannot confirm it: ${(err as Error).message}`);
  }
  if (resolved !== digest) {
    throw new BuilderError('DIGEST_MISMATCH', `the agent converted manifest ${digest}; ${pinned} resolves to ${resolved}${platform ? ` for ${platform}` : ''}`);
  }
  return digest;
}

function answeredPlatform(text: string | null | undefined): string | undefined {
  if (!text) return undefined;
  try {
    return formatPlatform(parsePlatform(text));
  } catch {
    throw new BuilderError('PROTOCOL_ERROR', `the agent answered a malformed platform ${JSON.stringify(guestText(text, 100))}`);
  }
}

// eslint-disable-next-line no-control-regex -- replacing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** A guest's string made safe for a terminal and bounded: control characters (escape sequences) become '?'. */
export function guestText(text: string, maxChars: number): string {
  const bounded = text.length > maxChars ? `${text.slice(0, maxChars)}...` : text;
  return bounded.replace(CONTROL, '?');
}
