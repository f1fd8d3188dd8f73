// The compression setting of a conversion ("lz4", "lz4hc[,level]", "none"),
// checked against what the installed mkfs.erofs offers.
import { BuilderError } from '../../proto/errors.js';
import { compressionSyntax, DEFAULT_COMPRESSION } from '../../core/compression.js';
import type { ErofsUtilsInfo } from './probe.js';

export { DEFAULT_COMPRESSION };

export interface CompressionChoice {
  /** A compressor name mkfs.erofs knows, or 'none' for an uncompressed image. */
  algorithm: string;
  level?: number;
}

/** What a request may name on this machine: the tool's compressors plus "none". */
export function availableCompressions(info: ErofsUtilsInfo): string[] {
  return [...info.compressors.map((c) => c.name), 'none'];
}

/**
 * Parses a compression setting. Empty means lz4. An algorithm the tool lacks is
 * UNSUPPORTED_FORMAT; a malformed setting or a level out of the tool's range is
 * INVALID_ARGUMENT. Both messages list what is available.
 */
export function parseCompression(spec: string | undefined, info: ErofsUtilsInfo): CompressionChoice {
  const available = `available: ${availableCompressions(info).join(', ')}`;
  const syntax = compressionSyntax(spec);
  if (!syntax) throw new BuilderError('INVALID_ARGUMENT', `compression '${spec ?? ''}' is not of the form NAME[,LEVEL]; ${available}`);
  const { algorithm, levelText } = syntax;
  if (algorithm === 'none') {
    if (levelText !== undefined) throw new BuilderError('INVALID_ARGUMENT', `compression 'none' takes no level; ${available}`);
    return { algorithm };
  }
  const compressor = info.compressors.find((c) => c.name === algorithm);
  if (!compressor) {
    throw new BuilderError('UNSUPPORTED_FORMAT', `compression '${algorithm}' is not offered by mkfs.erofs ${info.version}; ${available}`);
  }
  if (levelText === undefined) return { algorithm };
  const level = Number(levelText);
  const range = compressor.levels;
  if (!range) throw new BuilderError('INVALID_ARGUMENT', `compression '${algorithm}' takes no level; ${available}`);
  if (level < range.min || level > range.max) {
    throw new BuilderError('INVALID_ARGUMENT', `${algorithm} level ${level} is outside ${range.min}..${range.max}; ${available}`);
  }
  return { algorithm, level };
}

/** mkfs.erofs arguments for a choice; the "-zALG,LEVEL" form is accepted by every release. */
export function compressionArgs(choice: CompressionChoice): string[] {
  if (choice.algorithm === 'none') return [];
  return [choice.level === undefined ? `-z${choice.algorithm}` : `-z${choice.algorithm},${choice.level}`];
}

export function formatCompression(choice: CompressionChoice): string {
  return choice.level === undefined ? choice.algorithm : `${choice.algorithm},${choice.level}`;
}
