#!/usr/bin/env node
// Benchmark: snapshotTree over a generated tree (default 100k files in 1000
// directories, 10% of them 40 KiB, the rest 2 KiB) against a baseline measured
// in the same run: `find -type f | xargs sha256sum`, which hashes the same
// files without any metadata. Target: ratio <= 1.5 (warm page cache for both).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contentBytes } from '../testkit/fixtures/content.js';
import { snapshotTree } from '../testkit/verify/snapshot.js';

const files = Number(process.argv[2] ?? 100_000);
const TARGET_RATIO = 1.5;
const root = mkdtempSync(join(tmpdir(), 'bench-snapshot-'));
try {
  const small = contentBytes({ size: 2000, seed: 1 });
  const big = contentBytes({ size: 40_000, seed: 2 });
  for (let i = 0; i < files; i++) {
    const dir = join(root, `d${Math.floor(i / 10_000)}`, `s${Math.floor(i / 100)}`);
    if (i % 100 === 0) mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `f${i % 100}`), i % 10 === 0 ? big : small);
  }
  const baseline = (): number => {
    const start = performance.now();
    execFileSync('sh', ['-c', 'find "$1" -type f -print0 | xargs -0 sha256sum > /dev/null', 'sh', root]);
    return performance.now() - start;
  };
  baseline(); // warm the page cache for both contenders
  const baselineMs = baseline();
  const start = performance.now();
  const tree = await snapshotTree(root);
  const snapshotMs = performance.now() - start;
  const ratio = snapshotMs / baselineMs;
  console.log(
    JSON.stringify({ entries: tree.size, snapshotMs: Math.round(snapshotMs), baselineMs: Math.round(baselineMs), ratio: Number(ratio.toFixed(2)), target: TARGET_RATIO }),
  );
  process.exitCode = ratio <= TARGET_RATIO ? 0 : 1;
} finally {
  rmSync(root, { recursive: true, force: true });
}
