// The peers a platform engineer would pick today, run with erofs-utils 1.9
// (scripts/setup-erofs-utils.sh), each with the same LZ4 and 4 KiB blocks as
// our engine and padded to 4096 like every other path:
//   oci        `mkfs.erofs --oci`: pull, gunzip, tar and build in one C process
//   per-layer  the containerd / hypeman route: every layer to its own EROFS with
//              `--tar=f --aufs` (whiteouts kept as overlayfs metadata), then one
//              merged image with `--aufs --ovlfs-strip=1 --clean=data`
//              (uncompressed: the merge copies the layers' data as it is, even
//              with -zlz4, and refuses layers built with -zlz4: "compressed
//              files not yet supported")
//   per-layer-lz4  the same, then the merged image loop-mounted and built again
//              with -zlz4: the way to an LZ4 disk on that route
// A peer that fails (a format it cannot read, a tree it cannot build) fails its
// run; the benchmark shows the failure instead of a time.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { withMountedErofs } from '../../testkit/verify/index.js';
import { blobPath, readLayout } from '../oci-layout.js';
import type { MeasuredRun } from './measure.js';

const TAG = 'image';

export interface PeerTools {
  /** The 1.9 build's mkfs.erofs. */
  mkfs: string;
  workers: number;
}

export interface PeerResult {
  disk: string;
  sizeBytes: number;
}

function baseArgs(tools: PeerTools, compressed: boolean): string[] {
  return ['--quiet', '-b4096', `--workers=${tools.workers}`, ...(compressed ? ['-zlz4'] : [])];
}

function mkfs(run: MeasuredRun, tools: PeerTools, args: string[]): Promise<string> {
  return run.tool(tools.mkfs, args, { stdout: 'ignore', label: 'mkfs.erofs' });
}

async function pad(run: MeasuredRun, disk: string): Promise<PeerResult> {
  await run.phase('pad', () => run.tool('truncate', ['--size=%4096', disk]));
  return { disk, sizeBytes: statSync(disk).size };
}

/** `mkfs.erofs --oci=f` straight from the (plain http) registry. */
export async function ociPath(run: MeasuredRun, reference: string, disk: string, tools: PeerTools): Promise<PeerResult> {
  const args = [...baseArgs(tools, true), '--oci=f,insecure,platform=linux/amd64', disk, reference];
  await run.phase('mkfs --oci', () => mkfs(run, tools, args));
  return pad(run, disk);
}

/** `skopeo copy` to a layout, one `mkfs.erofs --tar=f --aufs` per layer, then the overlay merge. */
export async function perLayerPath(run: MeasuredRun, reference: string, work: string, disk: string, tools: PeerTools, compressed: boolean): Promise<PeerResult> {
  const layout = join(work, 'layout');
  await run.phase('pull', () => run.tool('skopeo', ['copy', '--quiet', '--src-tls-verify=false', `docker://${reference}`, `oci:${layout}:${TAG}`]));
  const image = readLayout(layout, TAG);
  const layerDisks: string[] = [];
  await run.phase('layers', async () => {
    for (const [i, layer] of image.layers.entries()) {
      const layerDisk = join(work, `layer-${i}.erofs`);
      const blob = blobPath(image.dir, layer.digest);
      const args = [...baseArgs(tools, false), '--tar=f', '--aufs'];
      // A failure names the layer: the table shows the tool's words, not the command.
      const named = (err: unknown): Promise<never> => {
        const [command, ...said] = (err as Error).message.split('\n');
        return Promise.reject(new Error(`${command}\nlayer ${i + 1} of ${image.layers.length}: ${said.join('\n')}`));
      };
      if (layer.compression === 'zstd') {
        // --tar reads gzip (--ungzip) and xz but not zstd: a pipe from zstd, as containerd would feed it.
        await run.tool('bash', ['-c', 'set -o pipefail; zstd -dc < "$1" | "$2" "${@:4}" "$3"', 'bash', blob, tools.mkfs, layerDisk, ...args], { stdout: 'ignore' }).catch(named);
      } else {
        await mkfs(run, tools, [...args, ...(layer.compression === 'gzip' ? ['--ungzip'] : []), layerDisk, blob]).catch(named);
      }
      layerDisks.push(layerDisk);
    }
  });
  const merged = compressed ? join(work, 'merged.erofs') : disk;
  const merge = [...baseArgs(tools, false), '--aufs', '--ovlfs-strip=1', '--clean=data', merged, ...layerDisks];
  await run.phase('merge', () => mkfs(run, tools, merge));
  if (compressed) {
    await run.phase('mkfs -zlz4', () => withMountedErofs(merged, (mountpoint) => mkfs(run, tools, [...baseArgs(tools, true), disk, mountpoint])));
  }
  return pad(run, disk);
}
