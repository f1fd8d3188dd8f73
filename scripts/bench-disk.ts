#!/usr/bin/env node
// Benchmark: buildErofs (mkfs.erofs, superblock rewrite, fsck.erofs, padding,
// sha256, fsync, rename) against a baseline measured in the same run: the bare
// `mkfs.erofs --quiet -zlz4` followed by `sha256sum` of the image. What it
// measures is the wrapper's overhead. Target: ratio <= 1.25 (median of 3 each).
// Tree: the first argument, default this repository's node_modules.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildErofs } from '../agent/disk/erofs.js';

const TARGET_RATIO = 1.25;
const RUNS = 3;
const tree = resolve(process.argv[2] ?? 'node_modules');
const out = mkdtempSync(join(tmpdir(), 'bench-disk-'));
const digest = `sha256:${'be'.repeat(32)}`;

async function median(run: () => Promise<void> | void): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)] as number;
}

try {
  const image = join(out, 'baseline.erofs');
  const baseline = (): void => {
    rmSync(image, { force: true });
    execFileSync('mkfs.erofs', ['--quiet', '-zlz4', image, tree]);
    execFileSync('sha256sum', [image]);
  };
  baseline(); // warm the page cache for both contenders
  const baselineMs = await median(baseline);
  let size = 0;
  const oursMs = await median(async () => {
    size = (await buildErofs(tree, join(out, 'ours.erofs'), { manifestDigest: digest })).size;
  });
  const ratio = oursMs / baselineMs;
  console.log(JSON.stringify({ tree, imageBytes: size, baselineMs: Math.round(baselineMs), buildErofsMs: Math.round(oursMs), ratio: Number(ratio.toFixed(2)), target: TARGET_RATIO }));
  process.exitCode = ratio <= TARGET_RATIO ? 0 : 1;
} finally {
  rmSync(out, { recursive: true, force: true });
}
