// The compression setting of a conversion as both sides write it: NAME[,LEVEL]
// ("lz4", "lz4hc,9", "none"). Its syntax and canonical form live here; whether
// the installed mkfs.erofs offers it is agent/disk/compression.ts's question.
import { BuilderError } from '../proto/errors.js';

export const DEFAULT_COMPRESSION = 'lz4';

/** NAME[,[level=]LEVEL], case and blanks ignored, empty meaning lz4; undefined when malformed. */
export function compressionSyntax(spec: string | undefined): { algorithm: string; levelText?: string } | undefined {
  const text = (spec ?? '').trim().toLowerCase() || DEFAULT_COMPRESSION;
  const match = /^([a-z0-9]+)(?:,(?:level=)?(\d{1,3}))?$/.exec(text);
  if (!match?.[1]) return undefined;
  return { algorithm: match[1], ...(match[2] !== undefined && { levelText: match[2] }) };
}

/**
 * A setting in the form a conversion reports it (agent/disk's formatCompression of
 * what parseCompression accepts), without asking the tool: what a host that runs
 * no mkfs itself compares an existing disk's compression with.
 */
export function canonicalCompression(spec: string | undefined): string {
  const syntax = compressionSyntax(spec);
  if (!syntax) throw new BuilderError('INVALID_ARGUMENT', `compression '${spec ?? ''}' is not of the form NAME[,LEVEL]`);
  return syntax.levelText === undefined ? syntax.algorithm : `${syntax.algorithm},${Number(syntax.levelText)}`;
}
