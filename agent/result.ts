// How a finished conversion is reported: as the protocol's Result (the agent
// service) and as JSON (the `convert` command). Both carry the same facts.
import { relative, sep } from 'node:path';
import { summarizeConfig } from '../core/image-config.js';
import { formatToWire, timingsToWire } from '../core/wire.js';
import type { IImageConfig, IResult } from '../proto/builder.js';
import type { ConvertImageResult } from './convert.js';

/** The protocol Result; `path` relative to the agent's output directory, '/'-separated. */
export function toResultMessage(result: ConvertImageResult, outputDir: string): IResult {
  const summary = summarizeConfig(result.image.config);
  const config: IImageConfig = {
    entrypoint: summary.entrypoint,
    cmd: summary.cmd,
    env: summary.env,
    working_dir: summary.workingDir,
    user: summary.user,
    exposed_ports: summary.exposedPorts,
    labels: summary.labels,
    os: summary.os,
    architecture: summary.architecture,
    variant: summary.variant,
    created: summary.created,
    raw_json: result.image.configRaw,
  };
  return {
    path: relative(outputDir, result.outputPath).split(sep).join('/'),
    size_bytes: result.sizeBytes,
    sha256: result.sha256,
    manifest_digest: result.manifestDigest,
    config_digest: result.configDigest,
    config,
    timings: timingsToWire(result.timings),
    erofs_utils_version: result.erofsUtilsVersion,
    format: formatToWire(result.format),
    platform: result.platform,
    media_type: result.image.manifestMediaType,
  };
}

/** What `builder-agent convert --json` prints. */
export function toResultJson(result: ConvertImageResult): Record<string, unknown> {
  return {
    path: result.outputPath,
    sizeBytes: result.sizeBytes,
    sha256: result.sha256,
    format: result.format,
    compression: result.compression,
    reference: result.image.reference,
    manifestDigest: result.manifestDigest,
    mediaType: result.image.manifestMediaType,
    configDigest: result.configDigest,
    platform: result.platform,
    config: summarizeConfig(result.image.config),
    layers: result.image.layers.length,
    entries: result.entries,
    treeBytes: result.treeBytes,
    timings: Object.fromEntries(result.timings.map((t) => [t.phase, t.millis])),
    erofsUtilsVersion: result.erofsUtilsVersion,
  };
}
