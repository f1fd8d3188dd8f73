// The erofs-utils probe against the releases of the matrix (the system's 1.5
// and the cached 1.9 build), and its parser against the output of trixie's
// 1.8.6 (the builder image's, recorded) and of 1.7 (reconstructed from the
// printf formats in erofs-utils' mkfs/main.c); the compression setting and
// the digest-derived identity.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { availableCompressions, parseCompression } from '../agent/disk/compression.js';
import { buildTimeFromCreated, uuidFromDigest } from '../agent/disk/identity.js';
import { probeDiskTools } from '../agent/disk/index.js';
import { parseMkfsErofsOutput, probeErofsUtils, probeExt4Tools, type ErofsUtilsInfo } from '../agent/disk/probe.js';
import { crc32c } from '../agent/disk/superblock.js';
import { erofsToolMatrix } from './disk/erofs-matrix.js';

const MATRIX = erofsToolMatrix();

// Debian trixie's erofs-utils 1.8.6-1 (what the builder image ships), `mkfs.erofs --version` and `--help`:
// its .deb fetched with a private apt config and run with trixie's libc through its ld.so (it needs glibc 2.38).
const MKFS_1_8_6 = readFileSync(join(import.meta.dirname, 'disk', 'mkfs-output', 'erofs-utils-1.8.6-trixie.txt'), 'utf8');
const MKFS_1_7_HELP = `Usage: mkfs.erofs [OPTIONS] FILE SOURCE(s)
 -zX[,Y][:...]         X=compressor (Y=compression level, optional)
                       alternative compressors can be separated by colons(:)
                       supported compressors and their level ranges are:
                           lz4
                           lz4hc[,<0-12>]\t(default=9)
                           lzma[<0-9,100-109>]\t0-9=normal, 100-109=extreme (default=6)
 -C#                   specify the size of compress physical cluster in bytes
 -EX[,...]             X=extended options
 -UX                   use a given filesystem UUID
 --quiet               quiet execution (do not write anything to standard output.)
 --tar=[FI]            generate an image from tarball(s)
`;

describe('erofs-utils probe', () => {
  it.each(MATRIX)('reads the $label mkfs.erofs: the version its dump.erofs reports, its compressors and options', async (tools) => {
    const info = await probeErofsUtils(tools.mkfs);
    const dumpVersion = /dump\.erofs\s+(?:\(erofs-utils\)\s+)?(\S+)/.exec(execFileSync(tools.dump, ['-V'], { encoding: 'utf8' }))?.[1];
    expect(info.version).toBe(dumpVersion);
    expect(info.compressors.map((c) => c.name)).toEqual(expect.arrayContaining(['lz4', 'lz4hc']));
    expect(info.compressors.find((c) => c.name === 'lz4hc')?.levels).toEqual({ min: 0, max: 12 });
    expect(info).toMatchObject({ quiet: true, uuid: true, extendedOptions: true });
    const [major, minor] = info.versionNumbers;
    const atLeast = (m: number): boolean => major > 1 || minor >= m;
    // What the probe says must agree with the release notes: --tar and -b came with 1.7/1.6, --workers and --mkfs-time with 1.8.
    expect(info.tar).toBe(atLeast(7));
    expect(info.blockSize).toBe(atLeast(6));
    expect(info.workers).toBe(atLeast(8));
    expect(info.mkfsTime).toBe(atLeast(8));
    expect(await probeErofsUtils(tools.mkfs)).toBe(info); // cached
  });

  it('finds in the 1.9 build everything the engine and the benchmark use', async () => {
    const info = await probeErofsUtils(MATRIX[1]!.mkfs);
    expect(info.versionNumbers.slice(0, 2)).toEqual([1, 9]);
    expect(info).toMatchObject({ tar: true, workers: true, mkfsTime: true, blockSize: true, sortNone: true, oci: true, overlayMerge: true });
    expect(info.compressors.map((c) => c.name)).toEqual(expect.arrayContaining(['lz4', 'lz4hc', 'zstd', 'lzma', 'deflate']));
  });

  it('parses the 1.5 banner and usage (no --version in 1.5)', () => {
    const text = 'mkfs.erofs 1.5\nmkfs.erofs: unrecognized option \'--version\'\nusage: [options] FILE DIRECTORY\n -EX[,...]             X=extended options\n -UX                   use a given filesystem UUID\n --quiet               quiet execution\n\nAvailable compressors are: lz4hc, lz4\n';
    expect(parseMkfsErofsOutput(text)).toMatchObject({
      version: '1.5',
      versionNumbers: [1, 5, 0],
      compressors: [{ name: 'lz4' }, { name: 'lz4hc', levels: { min: 0, max: 12 } }],
      tar: false,
      workers: false,
      quiet: true,
      mkfsTime: false,
      blockSize: false,
      sortNone: false,
      oci: false,
    });
  });

  it("parses trixie's 1.8.6 (the builder image's): every compressor with its levels, --tar, --workers (a multi-threaded build), -T --mkfs-time, -U, -b, no --oci", () => {
    const info = parseMkfsErofsOutput(MKFS_1_8_6) as ErofsUtilsInfo;
    expect(info).toMatchObject({
      version: '1.8.6',
      versionNumbers: [1, 8, 6],
      tar: true,
      workers: true,
      quiet: true,
      uuid: true,
      mkfsTime: true,
      blockSize: true,
      sortNone: true,
      overlayMerge: true,
      oci: false,
    });
    expect(info.compressors).toEqual([
      { name: 'deflate', levels: { min: 0, max: 9 } },
      { name: 'libdeflate', levels: { min: 0, max: 12 } },
      { name: 'lz4' },
      { name: 'lz4hc', levels: { min: 0, max: 12 } },
      { name: 'lzma', levels: { min: 0, max: 9 } },
      { name: 'zstd', levels: { min: 0, max: 22 } },
    ]);
  });

  it('parses the 1.7 help list, where a level range follows the name on its line', () => {
    const info = parseMkfsErofsOutput(`mkfs.erofs (erofs-utils) 1.7.1\n${MKFS_1_7_HELP}`) as ErofsUtilsInfo;
    expect(info).toMatchObject({ version: '1.7.1', tar: true, workers: false });
    expect(info.compressors).toEqual([{ name: 'lz4' }, { name: 'lz4hc', levels: { min: 0, max: 12 } }, { name: 'lzma', levels: { min: 0, max: 9 } }]);
  });

  it('finds no version in unrelated output', () => {
    expect(parseMkfsErofsOutput('bash: mkfs.erofs: command not found')).toBeUndefined();
  });

  it('reads the installed mkfs.ext4 version and debugfs', async () => {
    const info = await probeExt4Tools();
    const reported = /mke2fs (\S+)/.exec(execFileSync('dumpe2fs', ['-V'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) || '')?.[1];
    expect(info.version).toMatch(/^1\.\d+\.\d+$/);
    if (reported) expect(info.version).toBe(reported);
    expect(info.debugfs).toBe(true);
  });

  it('sums up what this machine can build, for the agent\'s hello', async () => {
    const tools = await probeDiskTools();
    expect(tools.formats).toEqual(['erofs', 'ext4']);
    expect(tools.compressions).toEqual([...(await probeErofsUtils()).compressors.map((c) => c.name), 'none']);
    expect(tools.compressions).toEqual(expect.arrayContaining(['lz4', 'lz4hc', 'none']));
  });

  it('fails with UNSUPPORTED_FORMAT when the tool is missing', async () => {
    await expect(probeErofsUtils('/nonexistent/mkfs.erofs')).rejects.toMatchObject({ code: 'UNSUPPORTED_FORMAT' });
  });
});

describe('compression setting', () => {
  const info = parseMkfsErofsOutput(MKFS_1_8_6) as ErofsUtilsInfo;

  it('defaults to lz4 and accepts levels in the tool\'s range, in both spellings', () => {
    expect(parseCompression(undefined, info)).toEqual({ algorithm: 'lz4' });
    expect(parseCompression('', info)).toEqual({ algorithm: 'lz4' });
    expect(parseCompression('LZ4HC,12', info)).toEqual({ algorithm: 'lz4hc', level: 12 });
    expect(parseCompression('zstd,level=19', info)).toEqual({ algorithm: 'zstd', level: 19 });
    expect(parseCompression('none', info)).toEqual({ algorithm: 'none' });
    expect(availableCompressions(info)).toEqual(['deflate', 'libdeflate', 'lz4', 'lz4hc', 'lzma', 'zstd', 'none']);
  });

  it('tells an unknown algorithm (UNSUPPORTED_FORMAT) from a malformed setting (INVALID_ARGUMENT)', () => {
    expect(() => parseCompression('brotli', info)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_FORMAT' }));
    for (const bad of ['lz4hc,13', 'lz4,1', 'none,1', 'lz4hc,', '-zlz4', 'lz4 --all-root']) {
      expect(() => parseCompression(bad, info)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
  });
});

describe('disk identity', () => {
  it('derives a version-8 RFC variant UUID from the digest bytes', () => {
    expect(uuidFromDigest(`sha256:${'00'.repeat(32)}`)).toBe('00000000-0000-8000-8000-000000000000');
    expect(uuidFromDigest(`sha256:${'ff'.repeat(32)}`)).toBe('ffffffff-ffff-8fff-bfff-ffffffffffff');
    expect(uuidFromDigest('sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef')).toBe('01234567-89ab-8def-8123-456789abcdef');
    expect(() => uuidFromDigest('sha256:abc')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('takes the build time from the created time, 0 when absent or bad', () => {
    expect(buildTimeFromCreated('2023-11-14T22:13:20Z')).toBe(1_700_000_000);
    expect(buildTimeFromCreated('2023-11-14T22:13:20.999999999Z')).toBe(1_700_000_000);
    expect(buildTimeFromCreated(undefined)).toBe(0);
    expect(buildTimeFromCreated('yesterday')).toBe(0);
    expect(buildTimeFromCreated('1960-01-01T00:00:00Z')).toBe(0);
  });

  it('implements CRC-32C (check value of "123456789" is 0xe3069283)', () => {
    expect((crc32c(0xffffffff, Buffer.from('123456789')) ^ 0xffffffff) >>> 0).toBe(0xe3069283);
  });
});
