// The disk builders' public face: one call that builds either format, and
// what this machine can build (for the agent's hello).
import { availableCompressions } from './compression.js';
import { buildErofs, type ErofsBuildOptions } from './erofs.js';
import { buildExt4, type Ext4BuildOptions } from './ext4.js';
import type { DiskBuildResult } from './output.js';
import { probeErofsUtils, probeExt4Tools, type ErofsUtilsInfo, type Ext4ToolsInfo } from './probe.js';
import { DISK_FORMATS, type DiskFormat } from '../../core/disk-format.js';

export type { DiskBuildResult } from './output.js';
export type { SizedLayer } from './estimate.js';
export { estimateDiskBytes } from './estimate.js';
export { buildTimeFromCreated, uuidFromDigest } from './identity.js';
export { DEFAULT_COMPRESSION, parseCompression } from './compression.js';
export { probeErofsUtils, probeExt4Tools } from './probe.js';

export type BuildDiskOptions = ErofsBuildOptions & Pick<Ext4BuildOptions, 'journal'> & { format?: DiskFormat };

/** Builds `format` (default erofs) from `sourceDir` into `outputFile`; see buildErofs / buildExt4. */
export function buildDisk(sourceDir: string, outputFile: string, options: BuildDiskOptions): Promise<DiskBuildResult> {
  if ((options.format ?? 'erofs') === 'ext4') {
    const { manifestDigest, buildTime, journal, signal, onLog } = options;
    return buildExt4(sourceDir, outputFile, { manifestDigest, buildTime, journal, signal, onLog });
  }
  return buildErofs(sourceDir, outputFile, options);
}

export interface DiskTools {
  erofs: ErofsUtilsInfo;
  /** Undefined when mkfs.ext4 is missing: ext4 is then not offered. */
  ext4: Ext4ToolsInfo | undefined;
  /** Compression settings a request may name ("lz4", "lz4hc", ..., "none"). */
  compressions: string[];
  formats: DiskFormat[];
}

/** Probes both tool sets (cached); fails with UNSUPPORTED_FORMAT when mkfs.erofs is missing. */
export async function probeDiskTools(): Promise<DiskTools> {
  const erofs = await probeErofsUtils();
  const ext4 = await probeExt4Tools().catch(() => undefined);
  return { erofs, ext4, compressions: availableCompressions(erofs), formats: ext4 ? [...DISK_FORMATS] : ['erofs'] };
}
