// Layer apply throughput on a realistic image, against baselines measured in the
// same run: `umoci unpack` of the same OCI layout, and "decompress every layer to
// /dev/null" (the floor for anything that has to inflate the layers). mkfs.erofs of
// the result is timed too, since the targets are about the whole conversion:
//   ours + mkfs  at least 2x faster than  umoci unpack + mkfs
//   ours + mkfs  within 1.5x of           decompress to /dev/null + mkfs
// Usage: node dist-dev/scripts/bench-apply.js [--layout DIR] [--tag TAG] [--runs N] [--check] [--baseline DIST]
// (default: the cached Debian 12 minbase + buildah image, scripts/cache-debian-minbase.sh).
// --baseline: the dist/ of another build (e.g. the commit a change starts from, built
// elsewhere); its applyLayers runs interleaved with ours, in alternating order, so a
// change's effect on apply speed is measured in one run, under the same load.
// Needs root (umoci keeps owners only as root); works in tmpfs under /dev/shm.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { applyLayers, type ApplyResult } from '../agent/layers/apply.js';
import { blobPath, inflateCommand, layoutBlobs, readLayout, type LayoutImage } from './oci-layout.js';

const { values } = parseArgs({
  options: {
    layout: { type: 'string' },
    tag: { type: 'string', default: 'latest' },
    runs: { type: 'string', default: '5' },
    check: { type: 'boolean', default: false },
    baseline: { type: 'string' },
  },
});

type Apply = typeof applyLayers;
const baselineApply: Apply | undefined =
  values.baseline === undefined ? undefined : ((await import(pathToFileURL(resolve(values.baseline, 'agent/layers/apply.js')).href)) as { applyLayers: Apply }).applyLayers;

const cache = process.env.EROFS_BUILDER_CACHE ?? '/var/cache/erofs-builder';
if (values.layout === undefined) execFileSync('bash', [join(import.meta.dirname, '..', '..', 'scripts', 'cache-debian-minbase.sh')], { stdio: 'inherit' });
const image = readLayout(values.layout ?? join(cache, 'realistic-oci'), values.tag);
const runs = Math.max(1, Number(values.runs));
const scratch = mkdtempSync('/dev/shm/bench-apply-');

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

function fresh(name: string): string {
  const dir = join(scratch, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  return dir;
}

async function timedApply(apply: Apply, name: string): Promise<{ time: number; result: ApplyResult }> {
  const root = fresh(name);
  const start = process.hrtime.bigint();
  const result = await apply(root, layoutBlobs(image));
  return { time: seconds(start), result };
}

function umoci(): number {
  const bundle = join(scratch, 'umoci');
  rmSync(bundle, { recursive: true, force: true });
  const start = process.hrtime.bigint();
  execFileSync('umoci', ['unpack', '--image', `${image.dir}:${values.tag}`, bundle], { stdio: ['ignore', 'ignore', 'inherit'] });
  return seconds(start);
}

/** Every layer inflated with the fastest decoder at hand, output discarded. */
function decompressToNull(layout: LayoutImage): number {
  const start = process.hrtime.bigint();
  for (const layer of layout.layers) {
    const tool = inflateCommand(layer.compression);
    const r = spawnSync('sh', ['-c', `${tool} < "$1" > /dev/null`, 'sh', blobPath(layout.dir, layer.digest)]);
    if (r.status !== 0) throw new Error(`${tool} failed on ${layer.digest}`);
  }
  return seconds(start);
}

function mkfs(tree: string): number {
  const disk = join(scratch, 'disk.erofs');
  rmSync(disk, { force: true });
  const start = process.hrtime.bigint();
  execFileSync('mkfs.erofs', ['-zlz4', disk, tree], { stdio: 'ignore' });
  return seconds(start);
}

try {
  const times = new Map<string, number[]>();
  const add = (key: string, t: number): void => void times.set(key, [...(times.get(key) ?? []), t]);
  let last: ApplyResult | undefined;
  // Interleaved, so a noisy neighbour hurts every contender alike.
  for (let i = 0; i < runs; i++) {
    if (baselineApply !== undefined && i % 2 === 0) add('baseline', (await timedApply(baselineApply, 'baseline')).time);
    const { time, result } = await timedApply(applyLayers, 'ours');
    add('ours', time);
    last = result;
    if (baselineApply !== undefined && i % 2 === 1) add('baseline', (await timedApply(baselineApply, 'baseline')).time);
    add('umoci', umoci());
    add('decompress', decompressToNull(image));
    add('mkfs', mkfs(join(scratch, 'ours')));
  }
  const r = last!;
  const tarBytes = r.layers.reduce((sum, l) => sum + l.tarBytes, 0);
  const t = (key: string): number => median(times.get(key)!);
  const best = t('ours');
  const m = t('mkfs');
  const row = (name: string, time: number): string =>
    `| ${name} | ${time.toFixed(3)} | ${Math.round(r.entries / time)} | ${(tarBytes / 2 ** 20 / time).toFixed(1)} |`;

  console.log(`\nImage: ${image.dir}:${values.tag} — ${image.layers.length} layers, ${r.entries} entries, ${(tarBytes / 2 ** 20).toFixed(1)} MiB of tar; median of ${runs} runs\n`);
  console.log('| apply | seconds | entries/s | MiB/s (tar) |');
  console.log('| --- | ---: | ---: | ---: |');
  console.log(row('ours', best));
  if (baselineApply !== undefined) console.log(row(`baseline (${values.baseline})`, t('baseline')));
  console.log(row('umoci unpack', t('umoci')));
  console.log(row('decompress to /dev/null', t('decompress')));
  console.log(`\nmkfs.erofs -zlz4 of the result: ${m.toFixed(3)} s. Syscalls per entry: ${(r.syscalls / r.entries).toFixed(2)}.\n`);

  const targets = [
    { what: 'umoci unpack / ours (apply only)', ratio: t('umoci') / best, ok: true, goal: 'report' },
    ...(baselineApply === undefined ? [] : [{ what: 'ours / baseline (apply only)', ratio: best / t('baseline'), ok: true, goal: 'report' }]),
    { what: '(umoci + mkfs) / (ours + mkfs)', ratio: (t('umoci') + m) / (best + m), ok: (t('umoci') + m) / (best + m) >= 2, goal: '>= 2' },
    { what: '(ours + mkfs) / (decompress + mkfs)', ratio: (best + m) / (t('decompress') + m), ok: (best + m) / (t('decompress') + m) <= 1.5, goal: '<= 1.5' },
  ];
  console.log('| ratio | value | target | met |');
  console.log('| --- | ---: | --- | --- |');
  for (const x of targets) console.log(`| ${x.what} | ${x.ratio.toFixed(2)} | ${x.goal} | ${x.goal === 'report' ? '-' : x.ok ? 'yes' : 'NO'} |`);
  if (values.check && targets.some((x) => !x.ok)) process.exitCode = 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
