// The verifier's model without mounts: expected trees from specs, comparison
// options, and the shared seeded-content definition.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lutimes, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentBytes, contentSha256, contentSize } from '../testkit/fixtures/content.js';
import { DEFAULT_MTIME, type ExpectedEntry } from '../testkit/fixtures/spec.js';
import { compareTrees, decodeDevice, expectedTreeFromSpec, snapshotTree, type TreeSnapshot } from '../testkit/verify/index.js';

describe('expectedTreeFromSpec', () => {
  it('normalises paths, fills defaults and implies parents', () => {
    const tree = expectedTreeFromSpec([
      { type: 'file', path: '/usr/bin/env', content: 'x' },
      { type: 'dir', path: './etc/' },
      { type: 'symlink', path: 'lib', target: 'usr/lib' },
      { type: 'fifo', path: 'run/f' },
    ]);
    expect([...tree.keys()].sort()).toEqual(['.', 'etc', 'lib', 'run', 'run/f', 'usr', 'usr/bin', 'usr/bin/env']);
    expect(tree.get('usr/bin/env')).toMatchObject({ type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: DEFAULT_MTIME, size: 1 });
    expect(tree.get('usr/bin/env')?.sha256).toBe(createHash('sha256').update('x').digest('hex'));
    expect(tree.get('etc')?.mode).toBe(0o755);
    expect(tree.get('etc')?.implied).toBeUndefined();
    expect(tree.get('lib')).toMatchObject({ mode: 0o777, target: 'usr/lib' });
    expect(tree.get('run/f')?.mode).toBe(0o644);
    expect(tree.get('usr')?.implied).toBe(true);
    expect(tree.get('.')?.implied).toBe(true);
  });

  it('gives hardlinks the target inode, through chains, as one group', () => {
    const tree = expectedTreeFromSpec([
      { type: 'hardlink', path: 'c', target: 'b' },
      { type: 'file', path: 'a', content: { size: 10, seed: 4 }, mode: 0o4711, uid: 7 },
      { type: 'hardlink', path: 'b', target: '/a', mode: 0o600 },
    ]);
    for (const [path, others] of [['a', ['b', 'c']], ['b', ['a', 'c']], ['c', ['a', 'b']]] as const) {
      expect(tree.get(path)).toMatchObject({ path, type: 'file', mode: 0o4711, uid: 7, size: 10, hardlinks: others });
    }
  });

  it.each<[string, ExpectedEntry[], RegExp]>([
    ['a duplicate path', [{ type: 'file', path: 'a' }, { type: 'dir', path: '/a/' }], /lists a twice/],
    ['a hardlink to nothing', [{ type: 'hardlink', path: 'a', target: 'b' }], /target is not in the expected tree/],
    ['a hardlink to a directory', [{ type: 'dir', path: 'd' }, { type: 'hardlink', path: 'a', target: 'd' }], /target is a directory/],
    ['a hardlink cycle', [{ type: 'hardlink', path: 'a', target: 'b' }, { type: 'hardlink', path: 'b', target: 'a' }], /cycle/],
    ['an entry under a file', [{ type: 'file', path: 'a' }, { type: 'file', path: 'a/b' }], /lies under a, which is a file/],
    ['a path with ..', [{ type: 'file', path: 'a/../b' }], /must not contain '\.\.'/],
  ])('rejects %s', (_what, entries, message) => {
    expect(() => expectedTreeFromSpec(entries)).toThrow(message);
  });
});

describe('compareTrees options', () => {
  const base: ExpectedEntry[] = [
    { type: 'dir', path: '.', mtime: 5 },
    { type: 'dir', path: 'var', mtime: 10 },
    { type: 'file', path: 'var/log', mtime: 20 },
    { type: 'file', path: 'etc/conf', mtime: 30 },
  ];
  const changed = (changes: Partial<Record<string, number>>): TreeSnapshot =>
    expectedTreeFromSpec(base.map((e) => ({ ...e, mtime: changes[e.path] ?? (e as { mtime: number }).mtime })));

  it('skips mtimes of the listed paths and everything below them', () => {
    const actual = changed({ var: 11, 'var/log': 21, 'etc/conf': 31 });
    const expected = expectedTreeFromSpec(base);
    expect(compareTrees(actual, expected).map((d) => d.path)).toEqual(['etc/conf', 'var', 'var/log']);
    expect(compareTrees(actual, expected, { ignoreMtime: ['/var/'] }).map((d) => d.path)).toEqual(['etc/conf']);
    expect(compareTrees(actual, expected, { ignoreMtime: ['var/log'] }).map((d) => d.path)).toEqual(['etc/conf', 'var']);
    expect(compareTrees(actual, expected, { ignoreMtime: true })).toEqual([]);
    expect(compareTrees(actual, expected, { ignoreDirMtimes: true }).map((d) => d.path)).toEqual(['etc/conf', 'var/log']);
  });

  it('compares the root unless ignoreRoot, and only its type then', () => {
    const expected = expectedTreeFromSpec(base);
    expect(compareTrees(changed({ '.': 6 }), expected)).toEqual([{ path: '.', attribute: 'mtime', expected: '5', actual: '6' }]);
    expect(compareTrees(changed({ '.': 6 }), expected, { ignoreRoot: true })).toEqual([]);
  });

  it('checks implied directories only for existence and type', () => {
    const expected = expectedTreeFromSpec(base); // 'etc' is implied
    const actual = expectedTreeFromSpec([...base, { type: 'dir', path: 'etc', mode: 0o700, uid: 9, mtime: 1 }]);
    expect(compareTrees(actual, expected)).toEqual([]);
    const fileThere = expectedTreeFromSpec([{ type: 'file', path: 'etc' }, ...base.filter((e) => !e.path.startsWith('etc'))]);
    expect(compareTrees(fileThere, expected)).toEqual([
      { path: 'etc', attribute: 'type', expected: 'dir', actual: 'file' },
      { path: 'etc/conf', attribute: 'entry', expected: 'file', actual: 'absent' },
    ]);
  });

  it('in subset mode allows extra entries, also as extra names of a hardlink group', () => {
    const expected = expectedTreeFromSpec([{ type: 'file', path: 'a', content: 'x' }]);
    const actual = expectedTreeFromSpec([
      { type: 'file', path: 'a', content: 'x' },
      { type: 'hardlink', path: 'extra', target: 'a' },
    ]);
    expect(compareTrees(actual, expected, { mode: 'subset' })).toEqual([]);
    expect(compareTrees(actual, expected)).toEqual([
      { path: 'a', attribute: 'hardlinks', expected: '[]', actual: '["extra"]' },
      { path: 'extra', attribute: 'entry', expected: 'absent', actual: 'file' },
    ]);
  });

  it('reports xattrs present only on the actual side, and sorts differences in tree order', () => {
    const expected = expectedTreeFromSpec([{ type: 'file', path: 'a-b' }, { type: 'file', path: 'a/b' }]);
    const actual = expectedTreeFromSpec([
      { type: 'file', path: 'a-b', xattrs: { 'user.x': '1' } },
      { type: 'file', path: 'a/b', mode: 0o600 },
    ]);
    expect(compareTrees(actual, expected)).toEqual([
      { path: 'a/b', attribute: 'mode', expected: '0644', actual: '0600' },
      { path: 'a-b', attribute: 'xattr', xattr: 'user.x', expected: 'absent', actual: '"1"' },
    ]);
  });
});

describe('snapshotTree', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'verify-model-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('records nanoseconds and compares them only on request', async () => {
    const root = join(dir, 'ns');
    await mkdir(root);
    await writeFile(join(root, 'f'), '');
    await lutimes(join(root, 'f'), 100.25, 100.25);
    await lutimes(root, 100, 100);
    const actual = await snapshotTree(root);
    expect(actual.get('f')).toMatchObject({ mtime: 100, mtimeNs: 250_000_000 });
    const expected = expectedTreeFromSpec([{ type: 'dir', path: '.', mode: actual.get('.')?.mode, mtime: 100 }, { type: 'file', path: 'f', mtime: 100 }]);
    expect(compareTrees(actual, expected)).toEqual([]);
    expect(compareTrees(actual, expected, { mtimeNanoseconds: true })).toEqual([
      { path: 'f', attribute: 'mtime', expected: '100.000000000', actual: '100.250000000' },
    ]);
  });

  it('hashes big files by streaming and rejects a root that is not a directory', async () => {
    const big = { size: (5 << 20) + 3, seed: 9 };
    const root = join(dir, 'big');
    await mkdir(root);
    await writeFile(join(root, 'f'), contentBytes(big));
    expect((await snapshotTree(root, { concurrency: 1 })).get('f')).toMatchObject({ size: contentSize(big), sha256: contentSha256(big) });
    await expect(snapshotTree(join(root, 'f'))).rejects.toThrow('is not a directory');
  });

  it('decodes 64-bit device numbers the way glibc does', () => {
    expect(decodeDevice((1n << 8n) | 3n)).toEqual({ major: 1, minor: 3 });
    // makedev(0x12345, 0xabcdef): major's low 12 bits at 8..19, high bits at 44..; minor's low 8 at 0..7, rest at 20..
    const dev = (0x345n << 8n) | (0x12000n << 32n) | 0xefn | (0xabcd00n << 12n);
    expect(decodeDevice(dev)).toEqual({ major: 0x12345, minor: 0xabcdef });
  });
});

describe('seeded content', () => {
  // Pins the algorithm with an independent implementation, so other languages can reproduce fixtures.
  it('is the AES-128-CTR keystream under the documented key, as openssl computes it', () => {
    for (const [seed, size] of [[0, 100], [7, (1 << 20) + 17]] as const) {
      const key = createHash('sha256').update(`erofs-builder fixture content seed ${seed}`).digest().subarray(0, 16).toString('hex');
      const openssl = execFileSync('openssl', ['enc', '-aes-128-ctr', '-K', key, '-iv', '0'.repeat(32)], {
        input: Buffer.alloc(size),
        maxBuffer: 2 * size,
      });
      expect(contentBytes({ size, seed }).equals(openssl)).toBe(true);
      expect(contentSha256({ size, seed })).toBe(createHash('sha256').update(openssl).digest('hex'));
    }
  });
});
