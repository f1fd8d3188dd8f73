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
import type { DiskFormat } from '../../core/disk-format.js';
import type { LayerCompression } from '../oci/types.js';

const MiB = 1024 * 1024;

export interface SizedLayer {
  /** Compressed size from the manifest. */
  size: number;
  compression: LayerCompression;
}

/**
 * What a disk of these layers typically takes at the least: the LOW end of
 * the measured ratios above. It is NOT a lower bound, and nothing computed
 * from compressed layer sizes can be: bytes that upper layers delete or
 * rewrite count in the sum but not on the disk, and a faster compressor than
 * gzip -6 lowers the ratio. Measured here: the cached realistic image (4 gzip
 * layers from buildah; the upper ones delete files) estimates 79.7 MB for a
 * 68.5 MB lz4 disk; Debian minbase as one gzip -1 layer gives 1.44 disk bytes
 * per layer byte, as one zstd -1 layer 1.52. See EARLY_CHECK_SHARE.
 *
 *   bytes = sum(layer.size x low[format/compression][layer compression]) + 1 MiB
 */
export function estimateDiskBytes(layers: readonly SizedLayer[], format: DiskFormat, compression = 'lz4'): number {
  const algorithm = compression.split(',')[0];
  const table = format === 'ext4' ? LOW_RATIOS.ext4 : algorithm === 'none' ? LOW_RATIOS.none : algorithm === 'lz4hc' ? LOW_RATIOS.lz4hc : LOW_RATIOS.lz4;
  const bytes = layers.reduce((sum, layer) => sum + layer.size * table[layer.compression], 0);
  return Math.ceil(bytes) + MiB;
}

/**
 * The share of estimateDiskBytes the output volume must have free before a
 * conversion starts. The check is there to stop a clearly too small volume
 * before anything is pulled, and must not refuse a disk that would fit:
 * half the estimate passes the measured cases above with room to spare, and
 * images whose upper layers throw away up to about half of the lower layers'
 * bytes. Between half and the whole estimate the conversion runs with a
 * warning; a disk that really does not fit fails in mkfs with NO_SPACE,
 * leaving nothing behind.
 */
export const EARLY_CHECK_SHARE = 0.5;

/** Low-end disk size per compressed layer byte, by layer compression (from the table above; zstd as gzip x 1.05). */
const LOW_RATIOS: Record<'lz4' | 'lz4hc' | 'none' | 'ext4', Record<LayerCompression, number>> = {
  lz4: { gzip: 1.5, zstd: 1.57, none: 0.5 },
  lz4hc: { gzip: 1.4, zstd: 1.47, none: 0.45 },
  none: { gzip: 2.3, zstd: 2.4, none: 0.95 },
  // ext4 holds the data uncompressed in whole 4 KiB blocks (the sizing model in ext4size.ts).
  ext4: { gzip: 2.3, zstd: 2.4, none: 0.95 },
};

/**
 * Bytes the applied tree surely needs at its peak: every entry of a layer is
 * in the tree once that layer is applied, and a compressed layer is hardly
 * ever bigger than what it unpacks to (gzip and zstd add a few bytes per
 * block to incompressible data; a layer of nothing but empty files is the
 * exception, and small). So: the largest compressed layer, 99% of it. A plain
 * tar layer counts for nothing (its headers and padding may be most of it).
 * The expansion can be anything from 1x to 1000x (a 400 MB file of zeros is a
 * 1 MB gzip layer), so this bounds from below only.
 */
export function minimumTreeBytes(layers: readonly SizedLayer[]): number {
  return Math.floor(0.99 * Math.max(0, ...layers.map((layer) => (layer.compression === 'none' ? 0 : layer.size))));
}
