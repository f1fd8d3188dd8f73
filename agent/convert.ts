// The conversion pipeline: reference -> manifest and config -> layers pulled,
// decompressed and applied into a tmpfs root -> mkfs -> disk in the output
// directory. Used by the agent's server and `convert` command, and by the
// host's fallback path. Nothing is kept on failure: the work area is disposed
// on every exit, and the disk builder removes its partial file.
import { dirname } from 'node:path';
import type { DiskFormat } from '../core/disk-format.js';
import { formatPlatform } from '../core/platform.js';
import type { ConvertProgress, Logger, PhaseName, PhaseTiming } from '../core/progress.js';
import { BuilderError } from '../proto/errors.js';
import { formatCompression } from './disk/compression.js';
import { buildDisk, buildTimeFromCreated, parseCompression, probeDiskTools } from './disk/index.js';
import { applyLayers, type ApplyProgress } from './layers/apply.js';
import { pullLayers } from './oci/blobs.js';
import type { RegistryOptions } from './oci/registry.js';
import { resolveImage } from './oci/resolve.js';
import type { ResolvedImage } from './oci/types.js';
import { createWorkArea } from './workarea.js';

export interface ConvertImageOptions {
  /** host:port/repo:tag, host:port/repo@sha256:..., or both. */
  reference: string;
  registry?: Omit<RegistryOptions, 'signal'>;
  /** os/arch[/variant]; default: the platform this process runs on. */
  platform?: string;
  /** lz4 (default), lz4hc[,N], none. Ignored for ext4. */
  compression?: string;
  format?: DiskFormat;
  /** Absolute path of the disk to write, or a function choosing it once the image is resolved. */
  outputPath: string | ((image: ResolvedImage) => string | Promise<string>);
  /** Where the tmpfs work area is created (default: the system temp dir). */
  workDir?: string;
  /** Cap on bytes written while applying layers (SIZE_LIMIT beyond it). */
  sizeLimitBytes?: number;
  /** tmpfs size limit instead of 90% of RAM (see workAreaLimitBytes). */
  tmpfsBytes?: number;
  signal?: AbortSignal;
  onProgress?: (progress: ConvertProgress) => void;
  onLog?: Logger;
}

export interface ConvertImageResult {
  outputPath: string;
  /** A multiple of 4096. */
  sizeBytes: number;
  /** sha256:<hex> of the whole disk file. */
  sha256: string;
  manifestDigest: string;
  configDigest: string;
  image: ResolvedImage;
  timings: PhaseTiming[];
  erofsUtilsVersion: string;
  format: DiskFormat;
  compression: string;
  /** os/arch[/variant] that was converted. */
  platform: string;
  entries: number;
  /** Uncompressed bytes of file data written into the tree. */
  treeBytes: number;
}

export async function convertImage(options: ConvertImageOptions): Promise<ConvertImageResult> {
  const { signal } = options;
  const format = options.format ?? 'erofs';
  const log = options.onLog ?? (() => undefined);
  const clock = new PhaseClock();
  const report = (progress: Partial<ConvertProgress> & { phase: PhaseName }): void =>
    options.onProgress?.({ layerIndex: 0, layerCount: 0, bytesDone: 0, bytesTotal: 0, ...progress });

  // Refuse what the local tools cannot build before pulling anything.
  const tools = await probeDiskTools();
  if (!tools.formats.includes(format)) throw new BuilderError('UNSUPPORTED_FORMAT', `format ${format} is not available here (have: ${tools.formats.join(', ')})`);
  const compression = format === 'erofs' ? formatCompression(parseCompression(options.compression, tools.erofs)) : 'none';

  report({ phase: 'resolve' });
  const image = await resolveImage(options.reference, { ...options.registry, ...(options.platform !== undefined && { platform: options.platform }), signal });
  const outputPath = typeof options.outputPath === 'string' ? options.outputPath : await options.outputPath(image);
  const platform = formatPlatform(image.platform);
  log('info', `resolved ${image.reference} to ${image.manifestDigest} (${platform}, ${image.layers.length} layers)`);
  clock.end('resolve');

  const area = await createWorkArea({
    outputDir: dirname(outputPath),
    layers: image.layers,
    format,
    compression,
    ...(options.workDir !== undefined && { baseDir: options.workDir }),
    ...(options.tmpfsBytes !== undefined && { tmpfsBytes: options.tmpfsBytes }),
    onWarning: (message) => log('warn', message),
  });
  try {
    const layerCount = image.layers.length;
    const bytesTotal = image.layers.reduce((sum, layer) => sum + layer.size, 0);
    const pulledBefore = cumulativeSizes(image);
    report({ phase: 'apply', layerCount, bytesTotal });
    const applied = await applyLayers(area.rootfs, pullLayers(image, { ...options.registry, signal }), {
      ...(signal !== undefined && { signal }),
      ...(options.sizeLimitBytes !== undefined && { sizeLimit: options.sizeLimitBytes }),
      onProgress: (p: ApplyProgress) =>
        report({ phase: 'apply', layerIndex: p.layer, layerCount, bytesDone: (pulledBefore[p.layer - 1] ?? 0) + p.compressedBytes, bytesTotal }),
    });
    for (const warning of applied.warnings) log('warn', warning);
    log('info', `applied ${layerCount} layers: ${applied.entries} entries, ${applied.bytes} bytes of file data`);
    clock.end('apply');

    report({ phase: 'mkfs' });
    const disk = await buildDisk(area.rootfs, outputPath, {
      format,
      compression,
      manifestDigest: image.manifestDigest,
      buildTime: buildTimeFromCreated(image.config.created),
      ...(signal !== undefined && { signal }),
      onLog: (line) => log('debug', line),
    });
    clock.end('mkfs');

    report({ phase: 'finalize' });
    await area.dispose();
    clock.end('finalize');
    return {
      outputPath: disk.path,
      sizeBytes: disk.size,
      sha256: `sha256:${disk.sha256}`,
      manifestDigest: image.manifestDigest,
      configDigest: image.configDigest,
      image,
      timings: clock.timings,
      erofsUtilsVersion: tools.erofs.version,
      format,
      compression: disk.compression,
      platform,
      entries: applied.entries,
      treeBytes: applied.bytes,
    };
  } finally {
    await area.dispose();
  }
}

/** Compressed bytes of all layers below each layer. */
function cumulativeSizes(image: ResolvedImage): number[] {
  let sum = 0;
  return image.layers.map((layer) => {
    const before = sum;
    sum += layer.size;
    return before;
  });
}

class PhaseClock {
  readonly timings: PhaseTiming[] = [];
  private last = performance.now();

  end(phase: PhaseName): void {
    const now = performance.now();
    this.timings.push({ phase, millis: Math.round(now - this.last) });
    this.last = now;
  }
}
