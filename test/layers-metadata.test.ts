// Conformance: what the layer rules keep exactly (type, mode incl. special
// bits, numeric owner, mtime, symlink target, device numbers, fifos, xattrs,
// hardlink groups), names of every kind, and what happens when not root.
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, lstatSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { applyLayers } from '../agent/layers/apply.js';
import { fsextra } from '../agent/native/fsextra.js';
import { buildImage, type EntrySpec, type ExpectedEntry } from '../testkit/fixtures/index.js';
import { everyType, everyTypeExpected, T1 } from './layers/specs.js';
import { applyImage, expectApplied, expectTree, layerBlobs, makeWork, removeWorks } from './layers/support.js';

afterAll(removeWorks);

describe('metadata', () => {
  it('keeps every entry type with exact mode, owner, mtime, target, device numbers and xattrs (incl. binary security.capability)', async () => {
    const work = await makeWork('types');
    const result = await expectApplied(work, { layers: [{ entries: everyType }] }, everyTypeExpected);
    expect(result.warnings).toEqual([]);
    expect(result.entries).toBe(everyType.length);
  });

  it('keeps them through gzip, zstd and uncompressed layers alike', async () => {
    const work = await makeWork('compression');
    const thirds = [everyType.slice(0, 8), everyType.slice(8, 16), everyType.slice(16)];
    const result = await applyImage(
      {
        layers: [
          { entries: thirds[0]!, compression: 'zstd' },
          { entries: thirds[1]!, compression: 'none' },
          { entries: thirds[2]!, compression: 'gzip' },
        ],
      },
      work.root,
    );
    expect(result.layers.map((l) => l.compression)).toEqual(['zstd', 'none', 'gzip']);
    await expectTree(work.root, everyTypeExpected);
  });

  it('reads long names and link targets written as PAX records and as GNU L/K records', async () => {
    const long = `${'directory-name-of-some-length/'.repeat(6)}file-name-that-makes-it-long`;
    const entries: EntrySpec[] = [
      { type: 'file', path: long, content: 'long' },
      { type: 'symlink', path: 'to-long', target: `/${long}` },
      { type: 'hardlink', path: `${long}-hardlink`, target: long },
    ];
    for (const longNames of ['pax', 'gnu'] as const) {
      const work = await makeWork(`long-${longNames}`);
      await expectApplied(work, { layers: [{ entries, longNames }] }, entries as ExpectedEntry[], { ignoreDirMtimes: true });
    }
  });

  it('takes xattrs from LIBARCHIVE.xattr.* (base64, %-encoded names) as well as SCHILY.xattr.*', async () => {
    const work = await makeWork('libarchive');
    const pax = {
      'LIBARCHIVE.xattr.user.from-bsdtar': Buffer.from([0x80, 0x00, 0xff]).toString('base64'),
      'LIBARCHIVE.xattr.user.with%3Dequals': Buffer.from('eq').toString('base64'),
      'SCHILY.xattr.user.from-gnu': 'plain',
    };
    await expectApplied(
      work,
      { layers: [{ entries: [{ type: 'raw', header: { name: 'f', type: 'file', mode: 0o644, mtime: T1, pax }, body: Buffer.from('x') }] }] },
      [
        { type: 'file', path: 'f', content: 'x', mtime: T1, xattrs: { 'user.from-bsdtar': Buffer.from([0x80, 0x00, 0xff]), 'user.with=equals': 'eq', 'user.from-gnu': 'plain' } },
      ],
    );
  });

  it('applies an entry for the root itself; without one the root gets mtime 0', async () => {
    const withEntry = await makeWork('root-entry');
    await expectApplied(
      withEntry,
      { layers: [{ entries: [{ type: 'dir', path: '.', mode: 0o700, uid: 1, gid: 2, mtime: 42 }] }] },
      [{ type: 'dir', path: '.', mode: 0o700, uid: 1, gid: 2, mtime: 42 }],
    );
    const without = await makeWork('root-none');
    await expectApplied(
      without,
      { layers: [{ entries: [{ type: 'file', path: 'f', content: 'x' }] }] },
      [{ type: 'dir', path: '.', mode: 0o755, mtime: 0 }, { type: 'file', path: 'f', content: 'x' }],
    );
  });

  it('keeps mtimes before 1970 exactly on files, directories, symlinks and fifos (node:fs alone would set "now")', async () => {
    const work = await makeWork('pre-epoch');
    const entries: ExpectedEntry[] = [
      { type: 'dir', path: 'old', mtime: -86_400 },
      { type: 'file', path: 'old/file', content: 'x', mtime: -1 },
      { type: 'symlink', path: 'old/link', target: 'file', mtime: -2_208_988_800 }, // 1900-01-01
      { type: 'fifo', path: 'old/fifo', mtime: -3 },
    ];
    await expectApplied(work, { layers: [{ entries }] }, entries, { mtimeNanoseconds: true });
  });

  it('keeps names that are not UTF-8 byte for byte (a GNU tar layer)', async () => {
    const work = await makeWork('bytes');
    const src = join(work.base, 'src');
    mkdirSync(src);
    const name = Buffer.from([0x63, 0x61, 0x66, 0xe9]); // latin1 "café"
    writeFileSync(Buffer.concat([Buffer.from(`${src}/`), name]), 'latin1 name');
    execFileSync('ln', ['-s', Buffer.concat([Buffer.from('target-'), name]).toString('latin1'), join(src, 'link')], { encoding: 'latin1' });
    const tar = execFileSync('tar', ['--format=posix', '--numeric-owner', '-C', src, '-cf', '-', '.']);
    const diffId = `sha256:${createHash('sha256').update(tar).digest('hex')}`;
    await applyLayers(work.root, [{ index: 0, descriptor: { digest: diffId, mediaType: 'application/vnd.oci.image.layer.v1.tar', size: tar.length, diffId, compression: 'none' }, stream: Readable.from([tar]) }]);
    const file = Buffer.concat([Buffer.from(`${work.root}/`), name]);
    expect(readFileSync(file, 'utf8')).toBe('latin1 name');
    const { readlinkSync } = await import('node:fs');
    expect(readlinkSync(join(work.root, 'link'), 'buffer')).toEqual(readlinkSync(join(src, 'link'), 'buffer'));
  });

  it('needs about four syscalls for a plain file (open, write, futimes, close)', async () => {
    const work = await makeWork('syscalls');
    const entries: EntrySpec[] = [{ type: 'dir', path: 'd' }];
    for (let i = 0; i < 2000; i++) entries.push({ type: 'file', path: `d/f${i}`, content: `content ${i}` });
    const result = await applyImage({ layers: [{ entries }] }, work.root);
    // 2000 files x 4, the directory (mkdir; lutimes at the end), the root's lutimes.
    expect(result.syscalls).toBe(2000 * 4 + 2 + 1);
  });
});

describe('not running as root', () => {
  const nobody = 65534;
  const distApply = fileURLToPath(new URL('../dist/agent/layers/apply.js', import.meta.url));

  it('applies what it can and says what it could not keep: owners, device nodes, privileged xattrs', async () => {
    // The unprivileged run needs plain JavaScript: the build output (scripts/test.sh builds first).
    const source = fileURLToPath(new URL('../agent/layers/extractor.ts', import.meta.url));
    const built = fileURLToPath(new URL('../dist/agent/layers/extractor.js', import.meta.url));
    expect(statSync(built).mtimeMs, 'dist/ is older than agent/layers: run npm run build').toBeGreaterThanOrEqual(statSync(source).mtimeMs);

    const work = await makeWork('nonroot');
    const image = buildImage({ layers: [{ entries: everyType }] });
    const blobs = layerBlobs(image).map((blob, i) => {
      const file = join(work.base, `layer-${i}`);
      writeFileSync(file, image.layers[i]!.bytes);
      return { file, descriptor: blob.descriptor };
    });
    chmodSync(work.base, 0o755);
    chownSync(work.root, nobody, nobody);
    const script = `
      import { createReadStream } from 'node:fs';
      import { applyLayers } from ${JSON.stringify(distApply)};
      const layers = ${JSON.stringify(blobs)};
      const result = await applyLayers(${JSON.stringify(work.root)}, layers.map((l, index) => ({ index, descriptor: l.descriptor, stream: createReadStream(l.file) })));
      process.stdout.write(JSON.stringify(result));`;
    const out = execFileSync('setpriv', [`--reuid=${nobody}`, `--regid=${nobody}`, '--clear-groups', process.execPath, '--input-type=module', '-e', script], { encoding: 'utf8' });
    const result = JSON.parse(out) as { warnings: string[] };

    const kinds = result.warnings.map((w) => w.split(':')[0]);
    expect(kinds).toEqual([
      'ownership not kept (not running as root)',
      'extended attributes could not be set',
      'device nodes not created (not running as root)',
    ]);
    const count = (prefix: string): number => Number(/: (\d+) \(first/.exec(result.warnings.find((w) => w.startsWith(prefix))!)![1]);
    // Every entry that was created wanted an owner other than nobody:nobody (24 entries,
    // minus the hardlink, which shares an inode, and the three device nodes, never created).
    expect(count('ownership')).toBe(20);
    expect(count('device')).toBe(3);
    expect(count('extended')).toBe(3); // security.capability, trusted.bin, trusted.on-link

    const st = (p: string) => lstatSync(join(work.root, p));
    expect(() => st('dev/null')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    expect(st('run/fifo').isFIFO()).toBe(true);
    expect([st('home/user/data').uid, st('home/user/data').gid]).toEqual([nobody, nobody]);
    expect(st('bin/su').mode & 0o7777).toBe(0o4755);
    expect(st('tmp').mode & 0o7777).toBe(0o1777);
    expect(fsextra.llistxattr(join(work.root, 'bin/ping'))).toEqual([]);
    expect(fsextra.lgetxattr(join(work.root, 'home/user/data'), 'user.comment').toString()).toBe('hello');
    expect(st('bin/su-again').ino).toBe(st('bin/su').ino);
  });
});
