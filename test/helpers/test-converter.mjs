// A converter for the server tests. It does real work (writes a tree, runs the real
// mkfs.erofs, pads, hashes, renames into the output directory) and honours the abort
// signal, but it does not pull an image: the real pipeline (agent/convert.ts) replaces it
// in the end-to-end tests. The request's image_ref picks a scenario:
//   "tree?files=N&bytes=B&delayMs=D"  write N files of B bytes, D ms apart, then mkfs
//   "mkfs-fails"                      run mkfs.erofs on a missing directory (a real failure)
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { URLSearchParams } from 'node:url';
import { BuilderError } from '../../dist/proto/errors.js';

const RESOLVE = 1;
const APPLY = 3;
const MKFS = 4;
const FINALIZE = 5;

export async function testConverter(job) {
  const { request, signal } = job;
  const [scenario, query = ''] = request.image_ref.split('?');
  const params = new URLSearchParams(query);
  const files = Number(params.get('files') ?? 8);
  const bytes = Number(params.get('bytes') ?? 4096);
  const delayMs = Number(params.get('delayMs') ?? 0);
  const work = await mkdtemp(join(job.workDir ?? tmpdir(), 'test-converter-'));
  const tree = join(work, 'tree');
  const disk = join(job.outputDir, `.partial-${randomBytes(6).toString('hex')}`);
  let pushed = 0;
  const progress = (update) => {
    pushed += 1;
    job.progress(update);
  };
  const started = performance.now();
  try {
    progress({ phase: RESOLVE });
    await mkdir(tree);
    for (let i = 0; i < files; i++) {
      signal.throwIfAborted();
      await writeFile(join(tree, `file-${i}`), randomBytes(bytes));
      progress({ phase: APPLY, bytes_done: (i + 1) * bytes, bytes_total: files * bytes });
      if (delayMs > 0) await sleep(delayMs, undefined, { signal });
    }
    progress({ phase: MKFS });
    await runMkfs(disk, scenario === 'mkfs-fails' ? join(work, 'missing') : tree, request.compression || 'lz4', signal);
    progress({ phase: FINALIZE });
    const size = Math.ceil((await stat(disk)).size / 4096) * 4096;
    await truncate(disk, size);
    const sha256 = await sha256File(disk);
    const target = job.outputPath ?? join(job.outputDir, `disk-${sha256.slice(7, 19)}.erofs`);
    await mkdir(dirname(target), { recursive: true });
    signal.throwIfAborted();
    await rename(disk, target);
    job.log('info', `test converter pushed ${pushed} progress updates`);
    return {
      path: relative(job.outputDir, target),
      size_bytes: size,
      sha256,
      manifest_digest: `sha256:${'0'.repeat(64)}`,
      timings: [{ phase: APPLY, millis: Math.round(performance.now() - started) }],
      erofs_utils_version: '1.5',
      format: 1,
    };
  } catch (err) {
    if (signal.aborted) {
      job.log('warn', `test converter saw abort: ${signal.reason?.message}`);
      process.stderr.write(`test-converter: saw abort: ${signal.reason?.message}\n`);
    }
    throw err;
  } finally {
    await rm(disk, { force: true });
    await rm(work, { recursive: true, force: true });
  }
}

function runMkfs(disk, source, compression, signal) {
  return new Promise((resolve, reject) => {
    const args = ['--quiet', ...(compression === 'none' ? [] : [`-z${compression}`]), disk, source];
    const child = spawn('mkfs.erofs', args, { signal, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', (err) => reject(signal.aborted ? signal.reason : err));
    child.on('close', (code) => {
      if (code === 0) resolve();
      else if (!signal.aborted) reject(new BuilderError('MKFS_FAILED', `mkfs.erofs ${basename(source)} exited ${code}: ${stderr.trim()}`));
    });
  });
}

async function sha256File(path) {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk);
  return `sha256:${hash.digest('hex')}`;
}
