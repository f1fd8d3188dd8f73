// `builder-agent convert`: the pipeline as a command, run as a process from dist.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sampleImage } from './agent/sample-image.js';
import { expectNoWorkArea, expectSampleDisk } from './agent/support.js';
import { pushImage, type PushedImage } from '../testkit/fixtures/index.js';
import { AGENT_CLI } from './helpers/agent-process.js';

const run = promisify(execFile);
const registry = inject('registryAddress');

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

async function agent(...args: string[]): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(process.execPath, [AGENT_CLI, ...args], { maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const failed = err as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('builder-agent convert', () => {
  let dir: string;
  let image: PushedImage;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'agent-convert-'));
    image = await pushImage(registry, 'cli/sample', sampleImage);
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the disk and prints the Result as JSON, with no progress output off a TTY', async () => {
    const output = join(dir, 'sample.erofs');
    const { code, stdout, stderr } = await agent('convert', image.reference, '--insecure', '--output', output, '--work-dir', dir, '--json');
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const result = JSON.parse(stdout) as Record<string, unknown>;
    expect(result).toMatchObject({
      path: output,
      format: 'erofs',
      compression: 'lz4',
      manifestDigest: image.manifest.digest,
      configDigest: image.config.digest,
      layers: 2,
      config: { entrypoint: ['/bin/su'], cmd: ['-c', 'true'], user: '1000:1000', workingDir: '/home/user' },
    });
    expect(result.sizeBytes).toBe((await stat(output)).size);
    expect(result.sha256).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(Object.keys(result.timings as object)).toEqual(['resolve', 'apply', 'mkfs', 'finalize']);
    await expectSampleDisk(output);
    await expectNoWorkArea(dir);
  });

  it('draws a self-overwriting progress line when stderr is a terminal, and clears it', async () => {
    const output = join(dir, 'tty.erofs');
    // script(1) runs the command on a pseudo-terminal and copies what it writes to our stdout.
    const command = [process.execPath, AGENT_CLI, 'convert', image.reference, '--insecure', '--output', output, '--work-dir', dir].map((arg) => `'${arg}'`).join(' ');
    const { stdout } = await run('script', ['-q', '-e', '-c', command, '/dev/null']);
    // Each redraw is CR + "erase line" (ESC [2K), shown here as <redraw>.
    const screen = stdout.replaceAll('\r\x1b[2K', '<redraw>');
    expect(screen).toMatch(/<redraw>resolve\.\.\./);
    expect(screen).toMatch(/<redraw>apply layer [0-2]\/2 \[[#.]{30}\] \d+\.\d\/\d+\.\d MiB/);
    expect(screen).toMatch(/<redraw>mkfs\.\.\./);
    // Cleared before the report: the last line drawn is erased, then the summary follows.
    expect(screen).toMatch(/<redraw>path\s+"[^"]*tty\.erofs"/);
    await expectSampleDisk(output);
  });

  it('builds an ext4 disk with --format ext4 that holds the same tree', async () => {
    const output = join(dir, 'sample.ext4');
    const { code, stdout } = await agent('convert', image.reference, '--insecure', '--output', output, '--format', 'ext4', '--json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ format: 'ext4', path: output });
    await expectSampleDisk(output, 'ext4');
  });

  it('fails with a JSON error and a non-zero exit, leaving nothing behind', async () => {
    const output = join(dir, 'missing.erofs');
    const { code, stdout } = await agent('convert', `${registry}/cli/sample:nope`, '--insecure', '--output', output, '--work-dir', dir, '--json');
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect((await readdir(dir)).filter((name) => name.startsWith('missing') || name.startsWith('.erofs-builder-partial'))).toEqual([]);
    await expectNoWorkArea(dir);
  });

  it('refuses bad arguments with exit code 2', async () => {
    const noOutput = await agent('convert', image.reference, '--json');
    expect(noOutput.code).toBe(2);
    expect(JSON.parse(noOutput.stdout)).toMatchObject({ error: { code: 'INVALID_ARGUMENT' } });
    const badFormat = await agent('convert', image.reference, '--output', join(dir, 'x'), '--format', 'squashfs');
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toMatch(/^builder-agent convert: INVALID_ARGUMENT: --format must be one of erofs, ext4/);
    const badCompression = await agent('convert', image.reference, '--insecure', '--output', join(dir, 'y'), '--compression', 'zstd', '--json');
    expect(JSON.parse(badCompression.stdout)).toMatchObject({ error: { code: 'UNSUPPORTED_FORMAT' } });
  });
});
