// Benchmark: copying a disk out of a source volume into the store, against
// baselines measured in the same run on the same (page-cache-warm) file.
//   node dist-dev/scripts/bench-host-copy.js [SIZE_MIB]   (default 512)
// The disk is EROFS-like: a real mkfs.erofs superblock, then runs of random
// data and of zeros (1/4 zeros). Reported: MiB/s and ratios, best of 3.
//   directory volume: ours (one pass: read, sha256, sparse write) vs
//     `cp --sparse=always` alone (no hash: a floor for the copy itself),
//     `cp --sparse=always` + `sha256sum` of the copy (what a script would do),
//     and vs fs.copyFile through /proc/self/fd (kernel copy) + hashing the copy.
//   ext4 image volume: ours (debugfs cat -> one pass) vs `debugfs cat | sha256sum`.
import { execFileSync, execSync } from 'node:child_process';
import { createHash, randomFillSync } from 'node:crypto';
import { copyFile, open, readFile, rm, stat } from 'node:fs/promises';
import { mkdirSync, mkdtempSync, openSync, rmSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyVerifiedDisk } from '../host/diskcopy.js';
import { openVolume } from '../host/volume.js';

const sizeMiB = Number(process.argv[2] ?? 512);
const work = mkdtempSync(join(tmpdir(), 'bench-host-copy-'));
const PATH = `${process.env.PATH ?? ''}:/usr/sbin:/sbin`;

function sh(command: string): void {
  execSync(command, { stdio: 'ignore', env: { ...process.env, PATH } });
}

async function best(label: string, runs: number, body: () => Promise<void>): Promise<number> {
  let fastest = Infinity;
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    await body();
    fastest = Math.min(fastest, Number(process.hrtime.bigint() - started) / 1e9);
  }
  console.log(`${label.padEnd(48)} ${(sizeMiB / fastest).toFixed(0).padStart(6)} MiB/s  (${fastest.toFixed(3)} s)`);
  return fastest;
}

async function ourCopy(volumePath: string, diskPath: string, out: string): Promise<void> {
  await rm(out, { force: true });
  const disk = await (await openVolume(volumePath)).openDisk(diskPath);
  const file = await open(out, 'wx');
  try {
    await copyVerifiedDisk(disk, file, { format: 'erofs' });
  } finally {
    await file.close();
    await disk.close();
  }
}

async function main(): Promise<void> {
  const volume = join(work, 'volume');
  mkdirSync(volume);
  const source = join(volume, 'disk.erofs');
  const tree = join(work, 'tree');
  mkdirSync(tree);
  execFileSync('mkfs.erofs', ['--quiet', join(work, 'head.erofs'), tree]);
  const head = await readFile(join(work, 'head.erofs'));
  const fd = openSync(source, 'w');
  const block = Buffer.alloc(4 * 1024 * 1024);
  for (let at = 0; at < sizeMiB * 1024 * 1024; at += block.length) {
    const zeros = (at / block.length) % 4 === 3;
    if (zeros) block.fill(0);
    else randomFillSync(block);
    if (at === 0) head.copy(block, 0, 0, 4096);
    writeSync(fd, block);
  }
  closeSync(fd);
  const image = join(work, 'volume.ext4');
  sh(`mkfs.ext4 -q -F -d ${volume} ${image} ${sizeMiB + 64}M`);
  sh(`cat ${source} > /dev/null`);

  console.log(`disk: ${sizeMiB} MiB, 1/4 zeros, page cache warm; best of 3`);
  const out = join(work, 'out.erofs');
  const ours = await best('directory: ours (read + sha256 + sparse write)', 3, () => ourCopy(volume, 'disk.erofs', out));
  const allocated = (await stat(out)).blocks * 512;
  const cpOnly = await best('directory: cp --sparse=always (no hash: a floor)', 3, async () => {
    await rm(out, { force: true });
    sh(`cp --sparse=always ${source} ${out}`);
  });
  const cpHash = await best('directory: cp --sparse=always + sha256sum', 3, async () => {
    await rm(out, { force: true });
    sh(`cp --sparse=always ${source} ${out} && sha256sum ${out}`);
  });
  const kernel = await best('directory: fs.copyFile(/proc/self/fd/N) + hash', 3, async () => {
    await rm(out, { force: true });
    const handle = await open(source, 'r');
    try {
      await copyFile(`/proc/self/fd/${handle.fd}`, out);
    } finally {
      await handle.close();
    }
    const hash = createHash('sha256');
    const copy = await open(out, 'r');
    for await (const chunk of copy.createReadStream({ highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  });
  const oursImage = await best('ext4 image: ours (debugfs cat, one pass)', 3, () => ourCopy(image, 'disk.erofs', out));
  const debugfsHash = await best('ext4 image: debugfs cat | sha256sum', 3, () => Promise.resolve(sh(`debugfs -c -R 'cat /disk.erofs' ${image} 2>/dev/null | sha256sum`)));
  console.log(`store copy allocates ${(allocated / 2 ** 20).toFixed(0)} MiB of ${sizeMiB} MiB (zero blocks left as holes)`);
  console.log(`ratio ours / cp alone: ${(cpOnly / ours).toFixed(2)}x speed`);
  console.log(`ratio ours / (cp + sha256sum): ${(cpHash / ours).toFixed(2)}x speed`);
  console.log(`ratio ours / (copyFile + hash): ${(kernel / ours).toFixed(2)}x speed`);
  console.log(`ratio ours / (debugfs cat | sha256sum) on the image: ${(debugfsHash / oursImage).toFixed(2)}x speed`);
}

try {
  await main();
} finally {
  rmSync(work, { recursive: true, force: true });
}
