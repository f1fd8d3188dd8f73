// How a finished conversion is reported: as the protocol's Result (the agent
// service) and as JSON (the `convert` command). Both carry the same facts.
import { relative, sep } from 'node:path';
import { DiskFormat, Phase, type IImageConfig, type IResult } from '../proto/builder.js';
import type { ConvertImageResult, PhaseName } from './convert.js';
import type { ImageConfigJson } from './oci/types.js';

/** The runtime-relevant parts of an image config, named as the host's metadata names them. */
export interface ImageConfigSummary {
  entrypoint: string[];
  cmd: string[];
  env: string[];
  workingDir: string;
  user: string;
  exposedPorts: string[];
  labels: Record<string, string>;
  os: string;
  architecture: string;
  variant: string;
  created: string;
}

export function summarizeConfig(config: ImageConfigJson): ImageConfigSummary {
  const c = config.config ?? {};
  return {
    entrypoint: c.Entrypoint ?? [],
    cmd: c.Cmd ?? [],
    env: c.Env ?? [],
    workingDir: c.WorkingDir ?? '',
    user: c.User ?? '',
    exposedPorts: Object.keys(c.ExposedPorts ?? {}).sort(),
    labels: c.Labels ?? {},
    os: config.os ?? '',
    architecture: config.architecture ?? '',
    variant: config.variant ?? '',
    created: config.created ?? '',
  };
}

export const PHASE_VALUES: Record<PhaseName, number> = {
  resolve: Phase.RESOLVE,
  apply: Phase.APPLY,
  mkfs: Phase.MKFS,
  finalize: Phase.FINALIZE,
};

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
    timings: result.timings.map((t) => ({ phase: PHASE_VALUES[t.phase], millis: t.millis })),
    erofs_utils_version: result.erofsUtilsVersion,
    format: result.format === 'ext4' ? DiskFormat.EXT4 : DiskFormat.EROFS,
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
