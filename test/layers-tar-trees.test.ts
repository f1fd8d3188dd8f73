// What the tar quirks of layers-tar-quirks.test.ts become in a tree: applied
// through the whole layer pipeline (gzip, diff_id, extractor) with the tree
// Go's reader and containerd would produce as the expectation, and, where the
// disk is what matters (sparse holes, names that are not UTF-8), through the
// real mkfs.erofs and a loop mount. docs/tar.md has the rules.
import { execFileSync } from 'node:child_process';
import { lstatSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildErofs } from '../agent/disk/erofs.js';
import {
  contentSha256,
  END_OF_ARCHIVE,
  gnuLongRecord,
  headerBlock,
  member,
  paxHeader,
  paxRecord,
  type EntrySpec,
  type ExpectedEntry,
  type ExtentContent,
  type SparseFormat,
} from '../testkit/fixtures/index.js';
import { compareTrees, expectedTreeFromSpec, formatDifferences, mountUnavailableReason, snapshotTree, withMountedErofs } from '../testkit/verify/index.js';
import { applyFailure, applyImage, expectApplied, expectCanaryUntouched, makeWork, removeWorks } from './layers/support.js';

afterAll(removeWorks);

const MiB = 1 << 20;
const DIGEST = `sha256:${'13'.repeat(32)}`;
type FileSpec = Extract<EntrySpec, { type: 'file' }>;
const blocks = (...members: Buffer[]): EntrySpec => ({ type: 'blocks', bytes: Buffer.concat(members) });
const unavailable = mountUnavailableReason();

describe('the quirks as trees', () => {
  it('1. a ustar prefix behind a GNU magic names the directory the file lands in', async () => {
    const work = await makeWork('gnu-prefix');
    const name = 'a'.repeat(99);
    await expectApplied(work, { layers: [{ entries: [blocks(member({ name: 'foo', typeflag: '0', format: 'gnu', uid: 0o10000000, base256: true, prefix: name, mtime: 5 }, Buffer.from('go 1.7')))] }] }, [
      { type: 'file', path: `${name}/foo`, content: 'go 1.7', uid: 0o10000000, mtime: 5 },
    ]);
  });

  it('2. several PAX headers: the entry has what the last one says, nothing from the others', async () => {
    const work = await makeWork('multi-pax');
    const entries = [
      blocks(
        paxHeader([['path', 'wrong-name'], ['mtime', '99'], ['SCHILY.xattr.trusted.first', 'dropped']]),
        paxHeader([['linkpath', 'PAX4/PAX4/long-linkpath-name'], ['SCHILY.xattr.trusted.last', 'kept']]),
        member({ name: 'bar', typeflag: '2', linkname: 'short', mtime: 7 }),
      ),
    ];
    await expectApplied(work, { layers: [{ entries }] }, [{ type: 'symlink', path: 'bar', target: 'PAX4/PAX4/long-linkpath-name', mtime: 7, xattrs: { 'trusted.last': 'kept' } }]);
  });

  it('3. a malformed PAX record fails the layer with INVALID_LAYER and its offset, nothing outside the root touched', async () => {
    const work = await makeWork('bad-pax');
    const bad = paxRecord('SCHILY.xattr.a\u0000b', 'value');
    const err = await applyFailure({ layers: [{ entries: [{ type: 'file', path: 'first', content: 'x' }, blocks(member({ name: 'PaxHeaders/f', typeflag: 'x' }, bad), member({ name: 'f', typeflag: '0' }))] }] }, work.root);
    expect(err.code).toBe('INVALID_LAYER');
    expect(err.message).toMatch(/NUL in the key .* \(at byte 1536\)/);
    await expectCanaryUntouched(work);
  });

  it('5. a layer without end-of-archive blocks applies when its diff_id matches; one that ends inside an entry is TRUNCATED', async () => {
    const work = await makeWork('no-eof');
    const entries: EntrySpec[] = [
      { type: 'file', path: 'a', content: 'first' },
      { type: 'file', path: 'b', content: 'second' },
    ];
    await expectApplied(work, { layers: [{ entries, trailer: Buffer.alloc(0) }] }, entries as ExpectedEntry[]);
    const cut = await makeWork('cut');
    const inside = member({ name: 'c', typeflag: '0' }, Buffer.alloc(2000, 1)).subarray(0, 1500);
    expect((await applyFailure({ layers: [{ entries: [...entries, blocks(inside)], trailer: Buffer.alloc(0) }] }, cut.root)).code).toBe('TRUNCATED');
    // Garbage after the end blocks is read (the diff_id covers it) and ignored.
    const garbage = await makeWork('garbage');
    await expectApplied(garbage, { layers: [{ entries, trailer: Buffer.concat([END_OF_ARCHIVE, Buffer.from('not a tar header '.repeat(100))]) }] }, entries as ExpectedEntry[]);
  });

  it('names for the root apply to it; an empty name for a file is INVALID_LAYER; a name above the root stays UNSAFE_PATH (deliberate, docs/tar.md)', async () => {
    const work = await makeWork('root-names');
    const root = (name: string, mode: number): Buffer => member({ name, typeflag: '5', mode, mtime: 11 });
    await expectApplied(work, { layers: [{ entries: [blocks(root('', 0o700), root('.', 0o710), root('a/..', 0o750), root('/', 0o751), root('./', 0o755)), { type: 'file', path: 'x', content: 'x' }] }] }, [
      { type: 'dir', path: '.', mode: 0o755, mtime: 11 },
      { type: 'file', path: 'x', content: 'x' },
    ]);
    const emptyFile = await makeWork('empty-file');
    expect((await applyFailure({ layers: [{ entries: [blocks(member({ name: '', typeflag: '0' }, Buffer.from('x')))] }] }, emptyFile.root)).code).toBe('INVALID_LAYER');
    for (const name of ['..', './..', 'a/../..', '../x']) {
      const above = await makeWork('above');
      const err = await applyFailure({ layers: [{ entries: [blocks(member({ name, typeflag: '5' }))] }] }, above.root);
      expect(err.code, name).toBe('UNSAFE_PATH');
      await expectCanaryUntouched(above);
    }
  });

  it("typeflags '\\0', '0' with a trailing slash, '7', sizes on header-only entries, global headers: the tree Go's reader gives", async () => {
    const work = await makeWork('typeflags');
    const entries = [
      blocks(
        paxHeader([['uid', '4242'], ['mtime', '1'], ['path', 'global-name']], { typeflag: 'g', name: 'pax_global_header' }),
        member({ name: 'v7-file', typeflag: '\u0000', mtime: 3 }, Buffer.from('old')),
        member({ name: 'v7-dir/', typeflag: '\u0000', mtime: 3, mode: 0o750 }),
        member({ name: 'slash/', typeflag: '0', mtime: 3 }, Buffer.from('a file, as Go reads it')),
        member({ name: 'contiguous', typeflag: '7', mtime: 3 }, Buffer.from('seven')),
        headerBlock({ name: 'link', typeflag: '2', linkname: 'v7-file', size: 4096, mtime: 3, mode: 0o777 }),
        headerBlock({ name: 'dir-with-size', typeflag: '5', size: 4096, mtime: 3, mode: 0o755 }),
        member({ name: 'after', typeflag: '0', mtime: 3 }, Buffer.from('still read')),
      ),
    ];
    await expectApplied(work, { layers: [{ entries }] }, [
      { type: 'file', path: 'v7-file', content: 'old', mtime: 3 },
      { type: 'dir', path: 'v7-dir', mtime: 3, mode: 0o750 },
      { type: 'file', path: 'slash', content: 'a file, as Go reads it', mtime: 3 },
      { type: 'file', path: 'contiguous', content: 'seven', mtime: 3 },
      { type: 'symlink', path: 'link', target: 'v7-file', mtime: 3 },
      { type: 'dir', path: 'dir-with-size', mtime: 3 },
      { type: 'file', path: 'after', content: 'still read', mtime: 3 },
    ]);
  });

  it('refuses a time beyond what a Date holds (containerd would set 1970: deliberate, docs/tar.md); keeps one before 1970 exactly', async () => {
    const work = await makeWork('times');
    const err = await applyFailure({ layers: [{ entries: [blocks(member({ name: 'f', typeflag: '0', mtime: 2 ** 50, format: 'gnu' }))] }] }, work.root);
    expect(err.code).toBe('INVALID_LAYER');
    const old = await makeWork('old-time');
    await expectApplied(old, { layers: [{ entries: [blocks(member({ name: 'f', typeflag: '0', mtime: -2_000_000_000, base256: true, format: 'gnu' }, Buffer.from('x')))] }] }, [
      { type: 'file', path: 'f', content: 'x', mtime: -2_000_000_000 },
    ]);
  });
});

describe('4. sparse files', () => {
  const formats: SparseFormat[] = ['gnu-old', 'pax-0.0', 'pax-0.1', 'pax-1.0'];
  const content = (size: number, seed: number): ExtentContent => ({
    size,
    extents: [
      [0, Buffer.alloc(4096, seed)],
      [size / 2, Buffer.alloc(8192, seed + 1)],
      [size - 100, Buffer.alloc(100, seed + 2)],
    ],
  });
  const holeAtEnd: ExtentContent = { size: 8 * MiB, extents: [[MiB, Buffer.from('only this')]] };
  const sparseFiles: FileSpec[] = [
    ...formats.map((sparse, i): FileSpec => ({ type: 'file', path: `sparse/${sparse}`, sparse, content: content(64 * MiB, i * 3), mode: 0o640, uid: 7, mtime: 1_600_000_000 })),
    ...formats.map((sparse): FileSpec => ({ type: 'file', path: `sparse/${sparse}-hole-at-end`, sparse, content: holeAtEnd })),
    { type: 'file', path: 'sparse/all-hole', sparse: 'pax-1.0', content: { size: 3 * MiB, extents: [] } },
  ];
  const expected = [{ type: 'dir', path: 'sparse' }, ...sparseFiles] as ExpectedEntry[];

  it('applies all four formats into files whose holes are holes (st_blocks), the size cap counting the holes', async () => {
    const work = await makeWork('sparse');
    const result = await expectApplied(work, { layers: [{ entries: [{ type: 'dir', path: 'sparse' }, ...sparseFiles] }] }, expected, { ignoreDirMtimes: true });
    for (const entry of sparseFiles) {
      const st = lstatSync(join(work.root, entry.path));
      expect(st.blocks * 512, entry.path).toBeLessThanOrEqual(64 * 1024);
    }
    // The cap: data written (the sparse files' stored bytes) plus their holes.
    const logical = sparseFiles.reduce((sum, e) => sum + (e.content as ExtentContent).size, 0);
    const small = await makeWork('sparse-cap');
    const err = await applyFailure({ layers: [{ entries: sparseFiles }] }, small.root, { sizeLimit: logical - MiB });
    expect(err.code).toBe('SIZE_LIMIT');
    expect(result.bytes).toBeLessThan(MiB);
  });

  it('stops a 1 TiB sparse file of a few bytes at the size cap before anything is written', async () => {
    const work = await makeWork('sparse-bomb');
    const err = await applyFailure({ layers: [{ entries: [{ type: 'file', path: 'bomb', sparse: 'pax-1.0', content: { size: 2 ** 40, extents: [[0, Buffer.from('x')]] } }] }] }, work.root, { sizeLimit: 2 ** 30 });
    expect(err.code).toBe('SIZE_LIMIT');
    expect(readdirSync(work.root)).toEqual([]);
  });

  it("applies GNU tar's own sparse output (old GNU and PAX 0.0, 0.1, 1.0) into the source file's content, holes included", async () => {
    const work = await makeWork('gnu-tar-sparse');
    const source = join(work.base, 'src');
    execFileSync('mkdir', [source]);
    execFileSync('truncate', ['-s', String(32 * MiB), join(source, 'db')]);
    for (const [at, text] of [[0, 'head'], [9 * MiB, 'middle'], [32 * MiB - 1, '!']] as const) execFileSync('dd', [`of=${join(source, 'db')}`, 'bs=1', `seek=${at}`, 'conv=notrunc', 'status=none'], { input: text });
    const want = contentSha256(readFileSync(join(source, 'db')));
    const layers = [['--format=gnu'], ['--format=posix', '--sparse-version=0.0'], ['--format=posix', '--sparse-version=0.1'], ['--format=posix', '--sparse-version=1.0']].map((args) => ({
      entries: [blocks(execFileSync('tar', [...args, '--sparse', '--numeric-owner', '-C', source, '-cf', '-', 'db'], { maxBuffer: 1 << 26 }))],
      trailer: Buffer.alloc(0), // GNU tar wrote its own end blocks
    }));
    for (const [i, layer] of layers.entries()) {
      const root = await makeWork(`gnu-tar-sparse-${i}`);
      await applyImage({ layers: [layer] }, root.root);
      const tree = await snapshotTree(root.root);
      expect([tree.get('db')?.size, tree.get('db')?.sha256], String(i)).toEqual([32 * MiB, want]);
      expect(lstatSync(join(root.root, 'db')).blocks * 512, String(i)).toBeLessThanOrEqual(64 * 1024);
    }
  });

  describe.skipIf(unavailable !== undefined)('through mkfs.erofs and a loop mount', () => {
    it('mounts the same files from a disk that stays small: 290 MiB of sparse files, a disk of a few MiB', async () => {
      const work = await makeWork('sparse-disk');
      await applyImage({ layers: [{ entries: [{ type: 'dir', path: 'sparse' }, ...sparseFiles] }] }, work.root);
      const disk = await buildErofs(work.root, join(work.base, 'sparse.erofs'), { manifestDigest: DIGEST });
      expect(statSync(disk.path).size).toBeLessThan(8 * MiB);
      const differences = await withMountedErofs(disk.path, async (mountpoint) => compareTrees(await snapshotTree(mountpoint), expectedTreeFromSpec(expected), { ignoreDirMtimes: true }));
      expect(formatDifferences(differences)).toBe('');
    });
  });
});

describe.skipIf(unavailable !== undefined)('names that are not UTF-8, through mkfs.erofs and a loop mount', () => {
  it('keeps them byte for byte, whether the header, a GNU L record or a PAX path carries them', async () => {
    const work = await makeWork('latin1-names');
    const latin1 = Buffer.from('caf\u00e9', 'latin1');
    const go = Buffer.from('hi\u0080\u0081\u0082\u0083bye', 'latin1');
    const long = Buffer.concat([Buffer.from('d'.repeat(120)), latin1]);
    const entries = [
      blocks(
        member({ name: Buffer.concat([Buffer.from('dir-'), latin1, Buffer.from('/')]), typeflag: '5', format: 'gnu' }),
        member({ name: Buffer.concat([Buffer.from('dir-'), latin1, Buffer.from('/'), go]), typeflag: '0', format: 'gnu' }, Buffer.from('in the header')),
        gnuLongRecord('L', long),
        member({ name: 'placeholder', typeflag: '0', format: 'gnu' }, Buffer.from('in an L record')),
        paxHeader([['path', Buffer.concat([Buffer.from('pax-'), go])], ['linkpath', latin1]]),
        member({ name: 'placeholder', typeflag: '2' }),
      ),
    ];
    await applyImage({ layers: [{ entries }] }, work.root);
    const disk = await buildErofs(work.root, join(work.base, 'names.erofs'), { manifestDigest: DIGEST });
    await withMountedErofs(disk.path, (mountpoint) => {
      const at = (...parts: Buffer[]): Buffer => Buffer.concat([Buffer.from(`${mountpoint}/`), ...parts]);
      expect(readdirSync(mountpoint, { encoding: 'buffer' }).map((n) => n.toString('hex')).sort()).toEqual(
        [Buffer.concat([Buffer.from('dir-'), latin1]), long, Buffer.concat([Buffer.from('pax-'), go])].map((n) => n.toString('hex')).sort(),
      );
      expect(readFileSync(at(Buffer.from('dir-'), latin1, Buffer.from('/'), go), 'utf8')).toBe('in the header');
      expect(readFileSync(at(long), 'utf8')).toBe('in an L record');
      expect(readlinkSync(at(Buffer.from('pax-'), go), { encoding: 'buffer' })).toEqual(latin1);
    });
  });
});
