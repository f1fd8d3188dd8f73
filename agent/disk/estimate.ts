// Sizes known before any layer is pulled: the manifest gives only compressed
// layer sizes, so everything is a ratio of those, measured on this machine
// (erofs-utils 1.5, gzip -6, zstd -3) over four trees: a Debian minbase
// rootfs, /usr/lib/x86_64-linux-gnu, /usr/share and a node_modules tree.
//
//   ratio to the gzip layer   Debian  /usr/lib  /usr/share  node_modules
//   uncompressed tar            2.48     3.02      2.44        3.89
//   erofs lz4                   1.59     1.61      1.53        2.02
//   erofs lz4hc                 1.48     1.45      1.43        1.80
//   erofs uncompressed          2.39     3.01      2.30        3.73
//   (zstd layers are 5-17% smaller than gzip ones)
import type { LayerCompression } from '../oci/types.js';

const MiB = 1024 * 1024;

export interface SizedLayer {
  /** Compressed size from the manifest. */
  size: number;
  compression: LayerCompression;
}

export type DiskFormat = 'erofs' | 'ext4';

/**
 * The least a disk of these layers plausibly takes: the LOW end of the
 * measured ratios, so a fail-fast space check never refuses a conversion that
 * would fit. A disk that needs more than this and more than is free still
 * fails, later, when mkfs hits ENOSPC (NO_SPACE, nothing left behind).
 *
 *   bytes = sum(layer.size x low[format/compression][layer compression]) + 1 MiB
 */
export function estimateDiskBytes(layers: readonly SizedLayer[], format: DiskFormat, compression = 'lz4'): number {
  const algorithm = compression.split(',')[0];
  const table = format === 'ext4' ? LOW_RATIOS.ext4 : algorithm === 'none' ? LOW_RATIOS.none : algorithm === 'lz4hc' ? LOW_RATIOS.lz4hc : LOW_RATIOS.lz4;
  const bytes = layers.reduce((sum, layer) => sum + layer.size * table[layer.compression], 0);
  return Math.ceil(bytes) + MiB;
}

/** Low-end disk size per compressed layer byte, by layer compression (from the table above; zstd as gzip x 1.05). */
const LOW_RATIOS: Record<'lz4' | 'lz4hc' | 'none' | 'ext4', Record<LayerCompression, number>> = {
  lz4: { gzip: 1.5, zstd: 1.57, none: 0.5 },
  lz4hc: { gzip: 1.4, zstd: 1.47, none: 0.45 },
  none: { gzip: 2.3, zstd: 2.4, none: 0.95 },
  // ext4 holds the data uncompressed in whole 4 KiB blocks (the sizing model in ext4size.ts).
  ext4: { gzip: 2.3, zstd: 2.4, none: 0.95 },
};

/**
 * The most the applied tree plausibly takes (uncompressed): the HIGH end of
 * the measured expansion (gzip 3.9, rounded up to 4; zstd 4.5 -> 5; plain tar
 * 1), for sizing the tmpfs, where a size limit costs no memory until used.
 */
export function estimateTreeBytes(layers: readonly SizedLayer[]): number {
  return Math.ceil(layers.reduce((sum, layer) => sum + layer.size * HIGH_EXPANSION[layer.compression], 0));
}

const HIGH_EXPANSION: Record<LayerCompression, number> = { gzip: 4, zstd: 5, none: 1 };
