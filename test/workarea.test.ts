// The work area with real mounts: its own tmpfs (checked in the mount table),
// sized from the layers, NO_SPACE from a really full output filesystem, and
// nothing left (no mount, no directory) after success, error, abort, a busy
// mount, SIGTERM of the agent process, or as a non-root user (plain directory).
// The child-process cases run the compiled module (dist/, built by `npm run
// build`, which scripts/test.sh runs first).
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { chmod, open, writeFile } from 'node:fs/promises';
import { totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildErofs } from '../agent/disk/erofs.js';
import { createWorkArea, disposeAllWorkAreas, workAreaLimitBytes, type WorkArea } from '../agent/workarea.js';
import { createScratch, listDir, mountsAt, type Scratch } from './disk/scratch.js';
import { mountUnavailableReason } from '../testkit/verify/index.js';

const MiB = 1024 * 1024;
const DIGEST = `sha256:${'77'.repeat(32)}`;
const LAYERS = [
  { size: 10 * MiB, compression: 'gzip' as const },
  { size: 4 * MiB, compression: 'zstd' as const },
  { size: 1 * MiB, compression: 'none' as const },
];
const DIST_WORKAREA = resolve('dist/agent/workarea.js');

const unavailable = mountUnavailableReason();
let scratch: Scratch;
let base: string;
let output: string;

beforeAll(async () => {
  if (unavailable) return;
  scratch = await createScratch('workarea');
  base = await scratch.subdir('base');
  output = await scratch.subdir('output');
});

afterAll(async () => {
  await disposeAllWorkAreas();
  await scratch?.dispose();
});

async function expectGone(area: WorkArea): Promise<void> {
  expect(await mountsAt(area.dir)).toEqual([]);
  expect(existsSync(area.dir)).toBe(false);
}

/** Runs a small ESM script (importing the compiled work area) and resolves with its stdout lines. */
function runChild(script: string, options: { onLine?: (line: string, kill: () => void) => void } = {}): Promise<{ code: number | null; lines: string[]; stderr: string }> {
  const path = join(scratch.dir, `child-${Math.random().toString(16).slice(2)}.mjs`);
  writeFileSync(path, script);
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [path], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let stderr = '';
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      for (let i = buffered.indexOf('\n'); i >= 0; i = buffered.indexOf('\n')) {
        const line = buffered.slice(0, i);
        buffered = buffered.slice(i + 1);
        lines.push(line);
        options.onLine?.(line, () => child.kill('SIGTERM'));
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', fail);
    child.once('close', (code) => done({ code, lines, stderr }));
  });
}

describe.skipIf(unavailable !== undefined)('work area', () => {
  it('mounts its own tmpfs, limited to 90% of RAM whatever the layers (the limit costs nothing until used)', async () => {
    const area = await createWorkArea({ baseDir: base, outputDir: output, layers: LAYERS });
    try {
      const expected = workAreaLimitBytes();
      expect(expected).toBe(Math.floor((totalmem() * 0.9) / MiB) * MiB);
      expect(area).toMatchObject({ mounted: true, tmpfsBytes: expected, rootfs: join(area.dir, 'rootfs') });
      const [mount, ...others] = await mountsAt(area.dir);
      expect(others).toEqual([]);
      expect(mount?.fstype).toBe('tmpfs');
      expect(mount?.options.split(',')).toEqual(expect.arrayContaining([`size=${expected / 1024}k`, 'noatime', 'nosuid', 'nodev', 'mode=700']));
      expect(existsSync(area.rootfs)).toBe(true);
    } finally {
      await area.dispose();
    }
    await expectGone(area);
  });

  it('takes a tmpfs size from the options, and the limit is real', async () => {
    const area = await createWorkArea({ baseDir: base, outputDir: output, layers: [{ size: MiB, compression: 'gzip' }], tmpfsBytes: 8 * MiB });
    try {
      expect((await mountsAt(area.dir))[0]?.options).toContain('size=8192k');
      await expect(writeFile(join(area.rootfs, 'too-big'), Buffer.alloc(9 * MiB))).rejects.toMatchObject({ code: 'ENOSPC' });
    } finally {
      await area.dispose();
    }
    await expectGone(area);
  });

  it('fails fast with NO_SPACE and both numbers when the output volume is too small, leaving nothing', async () => {
    const tiny = await scratch.tmpfs('tiny-output', MiB);
    const big = [{ size: 100 * MiB, compression: 'gzip' as const }];
    const error = await createWorkArea({ baseDir: base, outputDir: tiny, layers: big }).catch((err: unknown) => err);
    expect(error).toMatchObject({ code: 'NO_SPACE' });
    const message = (error as Error).message;
    expect(message).toMatch(/has 1048576 bytes \(1\.0 MiB\) available, the conversion needs at least (\d+) bytes/);
    // Half the low-end estimate (lz4: 1.5 disk bytes per gzip byte, plus 1 MiB): see EARLY_CHECK_SHARE.
    expect(Number(/needs at least (\d+)/.exec(message)?.[1])).toBe(Math.ceil((100 * MiB * 1.5 + MiB) * 0.5));
    expect(await listDir(base)).toEqual([]);
    // 0 skips the check.
    const unchecked = await createWorkArea({ baseDir: base, outputDir: tiny, layers: big, requiredOutputBytes: 0, tmpfsBytes: 128 * MiB });
    await unchecked.dispose();
    await expectGone(unchecked);
  });

  it('starts with a warning, not NO_SPACE, when the volume holds half the estimate but not all of it', async () => {
    const small = await scratch.tmpfs('small-output', 4 * MiB);
    const warnings: string[] = [];
    // lz4 estimate: 3 MiB x 1.5 + 1 MiB = 5.5 MiB; half of it fits in 4 MiB.
    const area = await createWorkArea({ baseDir: base, outputDir: small, layers: [{ size: 3 * MiB, compression: 'gzip' }], onWarning: (w) => warnings.push(w) });
    await area.dispose();
    await expectGone(area);
    expect(warnings.join('\n')).toMatch(/has 4194304 bytes \(4\.0 MiB\) available; disks of layers this size usually take 5767168 bytes .*may not fit/);
  });

  it('refuses at once, with NO_SPACE and both numbers, an image whose largest layer cannot fit in the tmpfs', async () => {
    const error = await createWorkArea({ baseDir: base, outputDir: output, layers: LAYERS, tmpfsBytes: 8 * MiB }).catch((err: unknown) => err);
    expect(error).toMatchObject({ code: 'NO_SPACE' });
    expect((error as Error).message).toMatch(/tmpfs may hold 8388608 bytes \(8\.0 MiB\), the largest layer alone unpacks to at least 10380902 bytes/);
    expect(await listDir(base)).toEqual([]);
  });

  it('cleans up after a failed conversion and after an aborted one', async () => {
    const failed = await createWorkArea({ baseDir: base, outputDir: output, layers: LAYERS });
    try {
      await writeFile(join(failed.rootfs, 'file'), 'x');
      await expect(buildErofs(failed.rootfs, join(output, 'x.erofs'), { manifestDigest: DIGEST, compression: 'brotli' })).rejects.toMatchObject({ code: 'UNSUPPORTED_FORMAT' });
    } finally {
      await failed.dispose();
    }
    await expectGone(failed);

    const aborted = await createWorkArea({ baseDir: base, outputDir: output, layers: LAYERS });
    const controller = new AbortController();
    try {
      await writeFile(join(aborted.rootfs, 'big'), Buffer.alloc(64 * MiB, 1));
      const building = buildErofs(aborted.rootfs, join(output, 'y.erofs'), { manifestDigest: DIGEST, signal: controller.signal });
      setTimeout(() => controller.abort(), 5);
      await expect(building).rejects.toMatchObject({ code: 'CANCELLED' });
    } finally {
      await aborted.dispose();
    }
    await expectGone(aborted);
    expect(await listDir(output)).toEqual([]);
  });

  it('fails creation with NO_SPACE on a too-small plain work directory and removes it', async () => {
    // A plain directory is what a process that may not mount gets: the child becomes nobody (see below).
    const smallBase = await scratch.tmpfs('small-base', MiB);
    await chmod(smallBase, 0o777);
    await chmod(scratch.dir, 0o755);
    const result = await runChild(
      `import { createWorkArea } from ${JSON.stringify(DIST_WORKAREA)};
       process.setgroups([]);
       process.setgid(65534);
       process.setuid(65534);
       const layers = ${JSON.stringify(LAYERS)};
       const outcome = await createWorkArea({ baseDir: ${JSON.stringify(smallBase)}, outputDir: ${JSON.stringify(output)}, layers }).then(
         (area) => area.dispose().then(() => ({ created: area.dir })),
         (err) => ({ code: err.code, message: err.message }),
       );
       console.log(JSON.stringify(outcome));`,
    );
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.lines.at(-1) ?? '{}')).toMatchObject({ code: 'NO_SPACE', message: expect.stringContaining('work directory') as unknown });
    expect(await listDir(smallBase)).toEqual([]);
  });

  it('detaches a busy tmpfs lazily, with a warning, and still removes the directory', async () => {
    const warnings: string[] = [];
    const area = await createWorkArea({ baseDir: base, outputDir: output, layers: LAYERS, onWarning: (w) => warnings.push(w) });
    const handle = await open(join(area.rootfs, 'held-open'), 'w');
    try {
      await area.dispose();
      expect(warnings.join('\n')).toMatch(/busy.*detaching it lazily/is);
      await expectGone(area);
    } finally {
      await handle.close();
    }
  });

  it('disposes every live area through disposeAllWorkAreas, and dispose twice is harmless', async () => {
    const areas = [await createWorkArea({ baseDir: base, outputDir: output, layers: LAYERS }), await createWorkArea({ baseDir: base, outputDir: output, layers: LAYERS })];
    await disposeAllWorkAreas();
    for (const area of areas) await expectGone(area);
    await (areas[0] as WorkArea).dispose();
  });

  it('leaves nothing when a process gets SIGTERM and its handler calls disposeAllWorkAreas', async () => {
    let dir = '';
    let mountedInChild = false;
    let seenMounts = -1;
    const result = await runChild(
      `import { createWorkArea, disposeAllWorkAreas } from ${JSON.stringify(DIST_WORKAREA)};
       const area = await createWorkArea({ baseDir: ${JSON.stringify(base)}, outputDir: ${JSON.stringify(output)}, layers: [] });
       process.on('SIGTERM', () => { disposeAllWorkAreas().then(() => process.exit(143)); });
       console.log(area.dir + ' ' + area.mounted);
       setInterval(() => undefined, 1000);`,
      {
        onLine: (line, kill) => {
          dir = line.split(' ')[0] ?? '';
          mountedInChild = line.endsWith(' true');
          void mountsAt(dir).then((mounts) => {
            seenMounts = mounts.length;
            kill();
          });
        },
      },
    );
    expect(result.code).toBe(143);
    expect(dir).not.toBe('');
    expect(mountedInChild).toBe(true);
    expect(seenMounts).toBe(1);
    expect(await mountsAt(dir)).toEqual([]);
    expect(existsSync(dir)).toBe(false);
  });

  it('uses a plain directory, with a warning, for a user who may not mount', async () => {
    const userBase = await scratch.subdir('nobody-base');
    await chmod(userBase, 0o777);
    await chmod(scratch.dir, 0o755);
    // The child loads the module as root (the checkout may not be readable by nobody), then
    // becomes nobody for real: setuid away from 0 drops every capability, CAP_SYS_ADMIN included.
    const result = await runChild(
      `import { existsSync } from 'node:fs';
       import { createWorkArea } from ${JSON.stringify(DIST_WORKAREA)};
       process.setgroups([]);
       process.setgid(65534);
       process.setuid(65534);
       const warnings = [];
       const area = await createWorkArea({ baseDir: ${JSON.stringify(userBase)}, outputDir: ${JSON.stringify(output)}, layers: [{ size: 1024, compression: 'gzip' }], onWarning: (w) => warnings.push(w) });
       const state = { uid: process.getuid(), dir: area.dir, mounted: area.mounted, tmpfsBytes: area.tmpfsBytes ?? null, rootfs: existsSync(area.rootfs), warnings };
       await area.dispose();
       console.log(JSON.stringify({ ...state, removed: !existsSync(area.dir) }));`,
    );
    expect(result.stderr).toBe('');
    const state = JSON.parse(result.lines.at(-1) ?? '{}') as Record<string, unknown>;
    expect(state).toMatchObject({ uid: 65534, mounted: false, tmpfsBytes: null, rootfs: true, removed: true });
    expect((state.warnings as string[]).join('\n')).toMatch(/cannot mount a tmpfs.*plain directory/);
    expect(await listDir(userBase)).toEqual([]);
  });
});
