import { open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { copyVerifiedDisk, type DiskSource } from '../host/diskcopy.js';
import { checkClaims, DEFAULT_DISK_SIZE_LIMIT, splitDiskPath } from '../host/validate.js';
import { makeErofsDisk, makeExt4Disk, tempDir } from './helpers/host-disks.js';
import { sha256Digest } from '../core/digest.js';
import { checkSuperblock } from '../core/disk-format.js';

const work = tempDir('host-validate');
afterAll(() => work.remove());

describe('splitDiskPath', () => {
  it('accepts canonical relative paths', () => {
    expect(splitDiskPath('disk.erofs')).toEqual(['disk.erofs']);
    expect(splitDiskPath('out/sha256-ab/rootfs.erofs')).toEqual(['out', 'sha256-ab', 'rootfs.erofs']);
    expect(splitDiskPath('a b/ünï…/.hidden')).toEqual(['a b', 'ünï…', '.hidden']);
    expect(splitDiskPath('x'.repeat(255))).toHaveLength(1);
  });

  it.each([
    ['empty', ''],
    ['absolute', '/etc/passwd'],
    ['absolute volume-looking', '/out/disk.erofs'],
    ['parent component', '../disk.erofs'],
    ['escaping through a subdirectory', 'a/../../x'],
    ['parent at the end', 'out/..'],
    ['dot component', './disk.erofs'],
    ['inner dot component', 'out/./disk.erofs'],
    ['double slash', 'out//disk.erofs'],
    ['trailing slash', 'out/'],
    ['NUL byte', 'out/disk.erofs\u0000.txt'],
    ['newline', 'out/disk\n.erofs'],
    ['escape sequence', 'out/\u001b[31mdisk'],
    ['DEL', 'out/disk\u007f'],
    ['C1 control', 'out/disk\u0085'],
    ['backslash', 'out\\disk.erofs'],
    ['replacement character (invalid UTF-8 on the wire)', 'out/disk\ufffd'],
    ['lone surrogate', 'out/disk\ud800'],
    ['component over 255 bytes', `out/${'x'.repeat(256)}`],
    ['component over 255 bytes in UTF-8 only', `out/${'é'.repeat(128)}`],
    ['whole path over 1024 bytes', Array.from({ length: 5 }, () => 'y'.repeat(250)).join('/')],
    ['a component starting with - (an option to the tools)', 'out/-x.erofs'],
  ])('rejects %s with PATH_REJECTED', (_why, path) => {
    expect(() => splitDiskPath(path)).toThrow(expect.objectContaining({ code: 'PATH_REJECTED' }));
  });

  it('rejects a path that is not a string at all', () => {
    expect(() => splitDiskPath(undefined)).toThrow(expect.objectContaining({ code: 'PATH_REJECTED' }));
    expect(() => splitDiskPath(42)).toThrow(expect.objectContaining({ code: 'PATH_REJECTED' }));
  });
});

describe('checkSuperblock', () => {
  const erofs = makeErofsDisk(join(work.path, 'sb.erofs'), { 'etc/os-release': 'ID=test\n' });
  const ext4 = makeExt4Disk(join(work.path, 'sb.ext4'), { 'etc/os-release': 'ID=test\n' });

  it('accepts real mkfs.erofs and mkfs.ext4 output as their own format only', async () => {
    const erofsHead = await readFile(erofs);
    const ext4Head = (await readFile(ext4)).subarray(0, 4096);
    expect(() => checkSuperblock(erofsHead, 'erofs')).not.toThrow();
    expect(() => checkSuperblock(ext4Head, 'ext4')).not.toThrow();
    expect(() => checkSuperblock(erofsHead, 'ext4')).toThrow(expect.objectContaining({ code: 'BAD_SUPERBLOCK' }));
    expect(() => checkSuperblock(ext4Head, 'erofs')).toThrow(expect.objectContaining({ code: 'BAD_SUPERBLOCK' }));
  });

  it('rejects the magic at the wrong offset, a byte-swapped magic, and a disk too short to hold one', () => {
    const shifted = Buffer.alloc(4096);
    shifted.writeUInt32LE(0xe0f5e1e2, 1028);
    const swapped = Buffer.alloc(4096);
    swapped.writeUInt32BE(0xe0f5e1e2, 1024);
    const short = Buffer.alloc(1026);
    short.writeUInt16LE(0xe1e2, 1024);
    for (const head of [shifted, swapped, short, Buffer.alloc(0)]) {
      expect(() => checkSuperblock(head, 'erofs')).toThrow(expect.objectContaining({ code: 'BAD_SUPERBLOCK' }));
    }
    const ext4Only = Buffer.alloc(1081);
    ext4Only.writeUInt16LE(0xef53, 1080 - 1);
    expect(() => checkSuperblock(ext4Only, 'ext4')).toThrow(expect.objectContaining({ code: 'BAD_SUPERBLOCK' }));
  });
});

describe('checkClaims', () => {
  it('rejects sizes of 0 and above the limit with SIZE_LIMIT, malformed digests with INVALID_ARGUMENT', () => {
    expect(() => checkClaims({ sizeBytes: 0 }, DEFAULT_DISK_SIZE_LIMIT)).toThrow(expect.objectContaining({ code: 'SIZE_LIMIT' }));
    expect(() => checkClaims({ sizeBytes: DEFAULT_DISK_SIZE_LIMIT + 1 }, DEFAULT_DISK_SIZE_LIMIT)).toThrow(expect.objectContaining({ code: 'SIZE_LIMIT' }));
    expect(() => checkClaims({ sizeBytes: -1 }, DEFAULT_DISK_SIZE_LIMIT)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => checkClaims({ sizeBytes: 1.5 }, DEFAULT_DISK_SIZE_LIMIT)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => checkClaims({ sha256: 'sha256:ABC' }, DEFAULT_DISK_SIZE_LIMIT)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => checkClaims({ sha256: `md5:${'0'.repeat(64)}` }, DEFAULT_DISK_SIZE_LIMIT)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => checkClaims({ sizeBytes: 4096, sha256: `sha256:${'0'.repeat(64)}` }, DEFAULT_DISK_SIZE_LIMIT)).not.toThrow();
  });
});

/** A source yielding `data` in `chunkSize` pieces, and reporting `sizeBytes` (its own idea of its size). */
function bufferSource(data: Buffer, chunkSize: number, sizeBytes?: number): DiskSource {
  const pieces: Buffer[] = [];
  for (let at = 0; at < data.length; at += chunkSize) pieces.push(data.subarray(at, at + chunkSize));
  return { sizeBytes, chunks: () => Readable.from(pieces, { objectMode: true }) as AsyncIterable<Buffer> };
}

async function copyTo(name: string, source: DiskSource, options: Parameters<typeof copyVerifiedDisk>[2]) {
  const path = join(work.path, name);
  const file = await open(path, 'wx');
  try {
    return { path, result: await copyVerifiedDisk(source, file, options) };
  } finally {
    await file.close();
  }
}

describe('copyVerifiedDisk', () => {
  const disk = makeErofsDisk(join(work.path, 'copy.erofs'), { big: Buffer.alloc(3 * 1024 * 1024, 7), small: 'x' });

  it('copies byte for byte whatever the chunking, pads to 4096 and leaves zero blocks as holes', async () => {
    // 70 KiB of data, a 3 MiB run of zeros (holes), then a 5000-byte unaligned tail.
    const erofs = await readFile(disk);
    const data = Buffer.concat([erofs.subarray(0, 70 * 1024), Buffer.alloc(3 * 1024 * 1024), Buffer.alloc(5000, 9)]);
    for (const chunkSize of [4093, 65536, 1024 * 1024, 5 * 1024 * 1024]) {
      const { path, result } = await copyTo(`chunks-${chunkSize}`, bufferSource(data, chunkSize, data.length), { format: 'erofs', claims: { sizeBytes: data.length, sha256: sha256Digest(data) } });
      const copied = await readFile(path);
      const padded = Buffer.concat([data, Buffer.alloc(4096 - (data.length % 4096))]);
      expect(copied.equals(padded)).toBe(true);
      expect(result).toEqual({ sizeBytes: padded.length, sha256: sha256Digest(padded), sourceSizeBytes: data.length, sourceSha256: sha256Digest(data) });
      const allocated = (await stat(path)).blocks * 512;
      expect(allocated).toBeLessThan(padded.length - 2 * 1024 * 1024);
    }
  });

  it('fails SIZE_MISMATCH when a source yields more or fewer bytes than it said, DIGEST_MISMATCH on a lying sha256', async () => {
    const data = await readFile(disk);
    await expect(copyTo('grew', bufferSource(data, 65536, data.length - 4096), { format: 'erofs' })).rejects.toMatchObject({ code: 'SIZE_MISMATCH' });
    await expect(copyTo('shrank', bufferSource(data, 65536, data.length + 1), { format: 'erofs' })).rejects.toMatchObject({ code: 'SIZE_MISMATCH' });
    await expect(copyTo('claim-short', bufferSource(data, 65536), { format: 'erofs', claims: { sizeBytes: data.length - 1 } })).rejects.toMatchObject({ code: 'SIZE_MISMATCH' });
    await expect(copyTo('claim-long', bufferSource(data, 65536), { format: 'erofs', claims: { sizeBytes: data.length + 4096 } })).rejects.toMatchObject({ code: 'SIZE_MISMATCH' });
    const other = sha256Digest(Buffer.concat([data, Buffer.from('x')]));
    await expect(copyTo('sha', bufferSource(data, 65536), { format: 'erofs', claims: { sha256: other } })).rejects.toMatchObject({ code: 'DIGEST_MISMATCH' });
    // 1 MiB chunks take the write-behind path: the failure must still surface as the error
    await expect(copyTo('sha-big-chunks', bufferSource(data, 1024 * 1024), { format: 'erofs', claims: { sha256: other } })).rejects.toMatchObject({ code: 'DIGEST_MISMATCH' });
  });

  it('stops at the size limit when nothing says how long the disk is, and refuses an empty one', async () => {
    const data = await readFile(disk);
    await expect(copyTo('limit', bufferSource(data, 65536), { format: 'erofs', sizeLimit: 8192 })).rejects.toMatchObject({ code: 'SIZE_LIMIT' });
    await expect(copyTo('empty', bufferSource(Buffer.alloc(0), 1), { format: 'erofs' })).rejects.toMatchObject({ code: 'SIZE_LIMIT' });
  });

  it('checks the superblock of the copied bytes, also for a disk shorter than the probe', async () => {
    await expect(copyTo('zeros', bufferSource(Buffer.alloc(1 << 20), 65536), { format: 'erofs' })).rejects.toMatchObject({ code: 'BAD_SUPERBLOCK' });
    await expect(copyTo('tiny', bufferSource(Buffer.alloc(100, 1), 7), { format: 'ext4' })).rejects.toMatchObject({ code: 'BAD_SUPERBLOCK' });
  });
});
