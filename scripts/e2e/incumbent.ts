// The incumbent host pipeline the project replaces, step by step with the real
// tools: `skopeo copy` to an OCI layout, `umoci unpack`, `mkfs.erofs -zlz4`,
// padding to 4096. umoci 0.4.7 cannot read zstd layers (newer umoci can), so
// for a zstd image each layer is first inflated with `zstd -d` into an
// uncompressed layer of the layout: the work newer umoci does inline.
// Also the physical-limit part that is not mkfs: every layer inflated to
// /dev/null with the fastest decoder at hand.
import { createHash } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { blobPath, inflateCommand, readLayout, type LayoutImage } from '../oci-layout.js';
import type { MeasuredRun } from './measure.js';

const TAG = 'image';

export interface IncumbentResult {
  disk: string;
  sizeBytes: number;
  /** The unpacked tree (umoci's bundle rootfs). */
  rootfs: string;
}

/** Runs the incumbent pipeline for `reference` with its scratch in `work`, writing `disk`. */
export async function incumbentPath(run: MeasuredRun, reference: string, work: string, disk: string): Promise<IncumbentResult> {
  const layout = join(work, 'layout');
  const bundle = join(work, 'bundle');
  await run.phase('pull', () => run.tool('skopeo', ['copy', '--quiet', '--src-tls-verify=false', `docker://${reference}`, `oci:${layout}:${TAG}`]));
  const image = readLayout(layout, TAG);
  if (image.layers.some((layer) => layer.compression === 'zstd')) await run.phase('zstd -d', () => inflateZstdLayers(run, image));
  await run.phase('unpack', () => run.tool('umoci', ['unpack', '--image', `${layout}:${TAG}`, bundle], { stdout: 'ignore' }));
  const rootfs = join(bundle, 'rootfs');
  await run.phase('mkfs', () => run.tool('mkfs.erofs', ['-zlz4', disk, rootfs], { stdout: 'ignore' }));
  await run.phase('pad', () => run.tool('truncate', ['--size=%4096', disk]));
  return { disk, sizeBytes: statSync(disk).size, rootfs };
}

/** Replaces the zstd layers of the image by uncompressed ones (blob digest = diff_id) in its manifest. */
async function inflateZstdLayers(run: MeasuredRun, image: LayoutImage): Promise<void> {
  const index = JSON.parse(readFileSync(join(image.dir, 'index.json'), 'utf8')) as { manifests: Array<{ digest: string; size: number }> };
  const entry = index.manifests[0]!;
  const manifest = JSON.parse(readFileSync(blobPath(image.dir, entry.digest), 'utf8')) as { layers: Array<{ mediaType: string; digest: string; size: number }> };
  for (const [i, layer] of image.layers.entries()) {
    if (layer.compression !== 'zstd') continue;
    const tar = blobPath(image.dir, layer.diffId);
    await run.tool('zstd', ['-d', '-q', '-f', blobPath(image.dir, layer.digest), '-o', tar]);
    manifest.layers[i] = { mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: layer.diffId, size: statSync(tar).size };
  }
  const bytes = Buffer.from(JSON.stringify(manifest));
  entry.digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  entry.size = bytes.length;
  writeFileSync(blobPath(image.dir, entry.digest), bytes);
  writeFileSync(join(image.dir, 'index.json'), JSON.stringify(index));
}

/** Inflates every layer of the layout to /dev/null, one after the other (igzip, zstd or cat). */
export async function decompressToNull(run: MeasuredRun, image: LayoutImage): Promise<void> {
  for (const layer of image.layers) {
    await run.tool('sh', ['-c', `${inflateCommand(layer.compression)} < "$1" > /dev/null`, 'sh', blobPath(image.dir, layer.digest)]);
  }
}
