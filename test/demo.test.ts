// The README's quick start, `bash scripts/demo.sh`, run as a user runs it, with
// the synthetic image (no Debian mirror needed) and a directory of its own:
// it must end with a ready image in the store that mounts and has /bin/sh, and
// leave no process, mount or registry behind, also when interrupted.
import { execFile, spawn } from 'node:child_process';
import { lstatSync, mkdtempSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { fsextra } from '../agent/native/fsextra.js';
import { mountTable, mountUnavailableReason, withMountedErofs } from '../testkit/verify/index.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..');
const HOST_CLI = join(ROOT, 'dist/host/cli.js');
const skip = mountUnavailableReason();
const dirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'demo-test-'));
  dirs.push(dir);
  return dir;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function mountsUnder(dir: string): Promise<string[]> {
  return (await mountTable()).map((entry) => entry.mountpoint).filter((mountpoint) => mountpoint.startsWith(dir));
}

interface Summary {
  image: string;
  path: string;
  entry: { name: string; diskPath: string; sizeBytes: number; source: string; manifestDigest: string };
  binSh: { target?: string; kind?: string };
  ext4Bytes: number;
  registryPid: number;
  agentPid: number;
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(skip !== undefined)(`demo (scripts/demo.sh)${skip ? ` — skipped: ${skip}` : ''}`, () => {
  it('converts the synthetic image through the agent and registers a disk that mounts with /bin/sh', async () => {
    const base = tempDir();
    const work = join(base, 'demo');
    const summaryFile = join(base, 'summary.json');
    const { stdout } = await run('bash', ['scripts/demo.sh', '--synthetic', '--dir', work, '--summary', summaryFile], { cwd: ROOT, timeout: 90_000 });
    expect(stdout).toContain('synthetic fixture image');
    expect(stdout).toMatch(/registered from the agent path in [\d.]+ s/);
    expect(stdout).toMatch(/\/bin\/sh resolves to \/usr\/bin\/dash \(via \/usr\/bin\/sh -> dash\): a regular file of 125000 bytes, mode 0755/);
    expect(stdout).toMatch(/size: EROFS \(lz4\) [\d.]+ MiB against ext4 of the same tree [\d.]+ MiB/);

    const summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as Summary;
    expect(summary).toMatchObject({ image: 'synthetic', path: 'agent', entry: { source: 'agent' }, binSh: { target: '/usr/bin/dash', kind: 'file' } });
    expect(summary.entry.sizeBytes % 4096).toBe(0);
    expect(summary.ext4Bytes).toBeGreaterThan(summary.entry.sizeBytes);

    // The store says ready, with the disk the summary names.
    const listed = JSON.parse((await run(process.execPath, [HOST_CLI, 'images', '--store', join(work, 'store'), '--json'])).stdout) as {
      images: Array<{ manifestDigest: string; diskPath: string; sizeBytes: number }>;
    };
    expect(listed.images).toEqual([expect.objectContaining({ manifestDigest: summary.entry.manifestDigest, diskPath: summary.entry.diskPath, sizeBytes: summary.entry.sizeBytes })]);

    // The disk itself, mounted here independently of the demo: the three layers applied.
    await withMountedErofs(summary.entry.diskPath, (mnt) => {
      expect(readlinkSync(join(mnt, 'bin'))).toBe('usr/bin');
      expect(readlinkSync(join(mnt, 'usr/bin/sh'))).toBe('dash');
      expect(lstatSync(join(mnt, 'usr/bin/dash')).size).toBe(125_000);
      expect(lstatSync(join(mnt, 'usr/bin/newuidmap')).mode & 0o7777).toBe(0o4755);
      expect(lstatSync(join(mnt, 'usr/share/doc'), { throwIfNoEntry: false })).toBeUndefined();
      expect(readFileSync(join(mnt, 'etc/os-release'), 'utf8')).toContain('VERSION_ID=2');
      expect(fsextra.lgetxattr(join(mnt, 'usr/sbin/ping'), 'security.capability').length).toBe(20);
    });

    expect(alive(summary.registryPid)).toBe(false);
    expect(alive(summary.agentPid)).toBe(false);
    expect(await mountsUnder(work)).toEqual([]);
  });

  it('stops its registry and agent and unmounts when interrupted with Ctrl-C (SIGINT)', async () => {
    const base = tempDir();
    const work = join(base, 'demo');
    // demo.sh execs node, so the pid is the demo's own process.
    const child = spawn('bash', ['scripts/demo.sh', '--synthetic', '--dir', work], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    const pids: number[] = [];
    let output = '';
    for await (const line of createInterface({ input: child.stdout })) {
      output += `${line}\n`;
      const pid = /\(pid (\d+)\)/.exec(line)?.[1];
      if (pid !== undefined) pids.push(Number(pid));
      if (line.startsWith('builder-agent serve')) break;
    }
    expect(pids, output).toHaveLength(2);
    expect(pids.every(alive)).toBe(true);
    child.kill('SIGINT');
    child.stdout.resume();
    expect(await exited).toBe(130);
    expect(pids.filter(alive)).toEqual([]);
    expect(await mountsUnder(work)).toEqual([]);
  });
});
