// scripts/setup-erofs-utils.sh refuses a source package that does not match
// what it pins, before building anything and without leaving anything in the
// cache: the files are served by a local HTTP server standing in for the
// Debian mirror (the real .dsc and tarballs, kept by the cached build, with
// one of them altered), and the cache is a fresh directory.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { erofsUtilsBuildDir } from './disk/erofs-matrix.js';

const SCRIPT = join(import.meta.dirname, '..', 'scripts', 'setup-erofs-utils.sh');
const POOL = 'pool/main/e/erofs-utils';
const work = mkdtempSync(join(tmpdir(), 'setup-erofs-utils-'));
const mirror = join(work, 'mirror');
let server: Server;
let mirrorUrl: string;
let sourcePackage: string[];

beforeAll(async () => {
  const source = join(erofsUtilsBuildDir(), '..', 'source');
  sourcePackage = readdirSync(source).map((name) => join(source, name));
  server = createServer((request, response) => {
    try {
      response.end(readFileSync(join(mirror, decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname))));
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  mirrorUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((done) => server?.close(done));
  rmSync(work, { recursive: true, force: true });
});

/** Lays the real source package out as the mirror's pool, with `alter` applied to the file whose name ends with `suffix`. */
function layMirror(suffix: string, alter: (bytes: Buffer) => Buffer): void {
  rmSync(mirror, { recursive: true, force: true });
  mkdirSync(join(mirror, POOL), { recursive: true });
  for (const file of sourcePackage) {
    const target = join(mirror, POOL, basename(file));
    if (file.endsWith(suffix)) writeFileSync(target, alter(readFileSync(file)));
    else copyFileSync(file, target);
  }
}

function runScript(cache: string, mirrorBase: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [SCRIPT], { env: { ...process.env, EROFS_BUILDER_CACHE: cache, DEBIAN_MIRROR: mirrorBase } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const flipLastByte = (bytes: Buffer): Buffer => {
  const copy = Buffer.from(bytes);
  copy[copy.length - 1] = (copy[copy.length - 1] as number) ^ 1;
  return copy;
};

describe('scripts/setup-erofs-utils.sh', () => {
  it('keeps the verified source package next to the build it made', () => {
    expect(sourcePackage.map((file) => basename(file)).sort()).toEqual([
      expect.stringMatching(/^erofs-utils_1\.9\.\d+-\d+\.debian\.tar\.xz$/),
      expect.stringMatching(/^erofs-utils_1\.9\.\d+-\d+\.dsc$/),
      expect.stringMatching(/^erofs-utils_1\.9\.\d+\.orig\.tar\.gz$/),
    ]);
  });

  it('refuses a .dsc whose sha256 is not the pinned one, and leaves the cache empty', async () => {
    layMirror('.dsc', (bytes) => Buffer.from(bytes.toString('latin1').replace('Version: ', 'Version:  '), 'latin1'));
    const cache = mkdtempSync(join(work, 'cache-'));
    const result = await runScript(cache, mirrorUrl);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/erofs-utils_1\.9\.\d+-\d+\.dsc: sha256 [0-9a-f]{64}, expected [0-9a-f]{64}/);
    expect(result.stdout).toBe('');
    expect(readdirSync(cache).filter((name) => !name.endsWith('.lock'))).toEqual([]);
  });

  it('refuses a tarball that does not match the .dsc, and leaves the cache empty', async () => {
    layMirror('.orig.tar.gz', flipLastByte);
    const cache = mkdtempSync(join(work, 'cache-'));
    const result = await runScript(cache, mirrorUrl);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/erofs-utils_1\.9\.\d+\.orig\.tar\.gz: sha256 [0-9a-f]{64}, expected [0-9a-f]{64}/);
    expect(readdirSync(cache).filter((name) => !name.endsWith('.lock'))).toEqual([]);
  });

  it('says which file it could not fetch and what to update when the pool no longer has it', async () => {
    rmSync(mirror, { recursive: true, force: true });
    const cache = mkdtempSync(join(work, 'cache-'));
    const result = await runScript(cache, mirrorUrl);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/cannot fetch http:\/\/127\.0\.0\.1:\d+\/pool\/main\/e\/erofs-utils\/erofs-utils_1\.9\.\d+-\d+\.dsc .*update VERSION, DEBIAN_REVISION and DSC_SHA256/);
    expect(readdirSync(cache).filter((name) => !name.endsWith('.lock'))).toEqual([]);
  });

  it('is a no-op that prints the bin directory once the build is cached', async () => {
    const result = await runScript(join(erofsUtilsBuildDir(), '..', '..'), 'http://127.0.0.1:1');
    expect(result).toMatchObject({ code: 0, stdout: `${erofsUtilsBuildDir()}\n`, stderr: '' });
  });
});
