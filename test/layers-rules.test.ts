// Conformance: the layer rules of ARCHITECTURE.md ("Layer application: the
// rules"), one test per rule. Each builds a fixture image, applies it into a
// tmpfs root and compares the result with a hand-written expected tree.
import { realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EntrySpec, ExpectedEntry } from '../testkit/fixtures/index.js';
import { applyImage, expectApplied, expectCanaryUntouched, expectTree, makeWork, removeWorks } from './layers/support.js';

afterAll(removeWorks);

const T1 = 1_600_000_000;
const T2 = 1_650_000_000;
const T3 = 1_690_000_000;

describe('whiteouts', () => {
  it('.wh.NAME removes a lower file and a whole lower tree; markers never reach the output', async () => {
    const work = await makeWork('wh');
    await expectApplied(
      work,
      {
        layers: [
          {
            entries: [
              { type: 'file', path: 'etc/keep', content: 'keep' },
              { type: 'file', path: 'etc/gone', content: 'gone' },
              { type: 'dir', path: 'var/lib/tree' },
              { type: 'file', path: 'var/lib/tree/a', content: 'a' },
              { type: 'file', path: 'var/lib/tree/sub/b', content: 'b' },
              { type: 'symlink', path: 'var/lib/tree/link', target: '/etc/keep' },
            ],
          },
          { entries: [{ type: 'whiteout', path: 'etc/gone' }, { type: 'whiteout', path: 'var/lib/tree' }, { type: 'whiteout', path: 'never/existed' }] },
        ],
      },
      [{ type: 'file', path: 'etc/keep', content: 'keep' }, { type: 'dir', path: 'var/lib' }],
      { ignoreDirMtimes: true },
    );
    await expectCanaryUntouched(work);
  });

  it('never hides an entry of the same layer, whether the whiteout comes before or after it in the tar', async () => {
    const lower: EntrySpec[] = [
      { type: 'file', path: 'x/before', content: 'lower' },
      { type: 'file', path: 'x/after', content: 'lower' },
      { type: 'file', path: 'd1/lower-child', content: 'lower' },
      { type: 'file', path: 'd2/lower-child', content: 'lower' },
    ];
    const upper: EntrySpec[] = [
      { type: 'whiteout', path: 'x/before' },
      { type: 'file', path: 'x/before', content: 'upper' },
      { type: 'file', path: 'x/after', content: 'upper' },
      { type: 'whiteout', path: 'x/after' },
      // a lower directory whited out, with same-layer children under it, in both orders
      { type: 'whiteout', path: 'd1' },
      { type: 'file', path: 'd1/new', content: 'upper' },
      { type: 'file', path: 'd2/new', content: 'upper' },
      { type: 'whiteout', path: 'd2' },
    ];
    const work = await makeWork('wh-order');
    await expectApplied(
      work,
      { layers: [{ entries: lower }, { entries: upper }] },
      [
        { type: 'file', path: 'x/before', content: 'upper' },
        { type: 'file', path: 'x/after', content: 'upper' },
        { type: 'file', path: 'd1/new', content: 'upper' },
        { type: 'file', path: 'd2/new', content: 'upper' },
      ],
      { ignoreDirMtimes: true },
    );
  });

  it('a directory deleted in one layer and recreated in a later one comes back with only the new content', async () => {
    const work = await makeWork('recreate');
    await expectApplied(
      work,
      {
        layers: [
          { entries: [{ type: 'dir', path: 'app', mode: 0o700, mtime: T1 }, { type: 'file', path: 'app/old', content: 'old' }, { type: 'file', path: 'app/sub/older', content: 'old' }] },
          { entries: [{ type: 'whiteout', path: 'app' }] },
          { entries: [{ type: 'dir', path: 'app', mtime: T3 }, { type: 'file', path: 'app/new', content: 'new' }] },
        ],
      },
      [
        { type: 'dir', path: 'app', mode: 0o755, mtime: T3 },
        { type: 'file', path: 'app/new', content: 'new' },
      ],
    );
  });
});

describe('opaque directories', () => {
  const lower: EntrySpec[] = [
    { type: 'dir', path: 'o', mode: 0o750, uid: 3, gid: 4, mtime: T1, xattrs: { 'user.kept': 'yes' } },
    { type: 'file', path: 'o/a', content: 'lower' },
    { type: 'dir', path: 'o/sub' },
    { type: 'file', path: 'o/sub/deep', content: 'lower' },
    { type: 'symlink', path: 'o/link', target: 'a' },
    { type: 'file', path: 'sibling', content: 'untouched' },
  ];
  const expected: ExpectedEntry[] = [
    { type: 'dir', path: 'o', mode: 0o750, uid: 3, gid: 4, mtime: T1, xattrs: { 'user.kept': 'yes' } },
    { type: 'file', path: 'o/new', content: 'upper' },
    { type: 'file', path: 'o/sub2/x', content: 'upper' },
    { type: 'file', path: 'sibling', content: 'untouched' },
  ];

  for (const order of ['marker first', 'marker last'] as const) {
    it(`hide every lower child, keep same-layer children and the directory's own metadata (${order})`, async () => {
      const marker: EntrySpec = { type: 'opaque', dir: 'o' };
      const added: EntrySpec[] = [
        { type: 'file', path: 'o/new', content: 'upper' },
        { type: 'file', path: 'o/sub2/x', content: 'upper' },
      ];
      const work = await makeWork('opaque');
      await expectApplied(
        work,
        { layers: [{ entries: lower }, { entries: order === 'marker first' ? [marker, ...added] : [...added, marker] }] },
        [...expected, { type: 'dir', path: 'o/sub2', mtime: 1_700_000_000 }],
      );
    });
  }

  it('an opaque marker with a new directory entry takes that entry\'s metadata', async () => {
    const work = await makeWork('opaque-meta');
    await expectApplied(
      work,
      { layers: [{ entries: lower }, { entries: [{ type: 'dir', path: 'o', mode: 0o711, mtime: T2 }, { type: 'opaque', dir: 'o' }] }] },
      [
        { type: 'dir', path: 'o', mode: 0o711, mtime: T2 },
        { type: 'file', path: 'sibling', content: 'untouched' },
      ],
    );
  });
});

describe('replacing entries', () => {
  it('changes type in every direction; a non-directory over a directory removes the whole tree', async () => {
    const work = await makeWork('types');
    const lower: EntrySpec[] = [
      { type: 'file', path: 'file-to-dir', content: 'f' },
      { type: 'dir', path: 'dir-to-file' },
      { type: 'file', path: 'dir-to-file/child', content: 'c' },
      { type: 'dir', path: 'target' },
      { type: 'file', path: 'target/t', content: 't' },
      { type: 'symlink', path: 'link-to-dir', target: 'target' },
      { type: 'dir', path: 'dir-to-link' },
      { type: 'file', path: 'dir-to-link/child', content: 'c' },
      { type: 'file', path: 'file-to-link', content: 'f' },
      { type: 'symlink', path: 'link-to-file', target: 'target/t' },
      { type: 'fifo', path: 'fifo-to-file' },
      { type: 'file', path: 'file-to-fifo', content: 'f' },
      { type: 'char', path: 'char-to-dir', major: 1, minor: 3 },
      { type: 'dir', path: 'dir-to-block' },
      { type: 'symlink', path: 'link-to-link', target: 'one' },
    ];
    const upper: EntrySpec[] = [
      { type: 'dir', path: 'file-to-dir', mode: 0o700 },
      { type: 'file', path: 'file-to-dir/new', content: 'n' },
      { type: 'file', path: 'dir-to-file', content: 'now a file' },
      { type: 'dir', path: 'link-to-dir' },
      { type: 'file', path: 'link-to-dir/own', content: 'o' },
      { type: 'symlink', path: 'dir-to-link', target: '/target' },
      { type: 'symlink', path: 'file-to-link', target: 'dangling' },
      { type: 'file', path: 'link-to-file', content: 'l' },
      { type: 'file', path: 'fifo-to-file', content: 'p' },
      { type: 'fifo', path: 'file-to-fifo' },
      { type: 'dir', path: 'char-to-dir' },
      { type: 'block', path: 'dir-to-block', major: 7, minor: 0 },
      { type: 'symlink', path: 'link-to-link', target: 'two' },
    ];
    await expectApplied(
      work,
      { layers: [{ entries: lower }, { entries: upper }] },
      [
        { type: 'dir', path: 'file-to-dir', mode: 0o700 },
        { type: 'file', path: 'file-to-dir/new', content: 'n' },
        { type: 'file', path: 'dir-to-file', content: 'now a file' },
        { type: 'dir', path: 'target' },
        { type: 'file', path: 'target/t', content: 't' },
        { type: 'dir', path: 'link-to-dir' },
        { type: 'file', path: 'link-to-dir/own', content: 'o' },
        { type: 'symlink', path: 'dir-to-link', target: '/target' },
        { type: 'symlink', path: 'file-to-link', target: 'dangling' },
        { type: 'file', path: 'link-to-file', content: 'l' },
        { type: 'file', path: 'fifo-to-file', content: 'p' },
        { type: 'fifo', path: 'file-to-fifo' },
        { type: 'dir', path: 'char-to-dir' },
        { type: 'block', path: 'dir-to-block', major: 7, minor: 0 },
        { type: 'symlink', path: 'link-to-link', target: 'two' },
      ],
      { ignoreDirMtimes: true },
    );
  });

  it('a directory over a directory merges: children stay, mode, owner and xattrs become the new entry\'s', async () => {
    const work = await makeWork('merge');
    await expectApplied(
      work,
      {
        layers: [
          { entries: [{ type: 'dir', path: 'm', mode: 0o755, xattrs: { 'user.old': '1', 'trusted.old': '2' } }, { type: 'file', path: 'm/a', content: 'a' }] },
          { entries: [{ type: 'dir', path: 'm', mode: 0o2770, uid: 5, gid: 6, mtime: T2, xattrs: { 'user.new': '3' } }, { type: 'file', path: 'm/b', content: 'b', gid: 6 }] },
        ],
      },
      [
        { type: 'dir', path: 'm', mode: 0o2770, uid: 5, gid: 6, mtime: T2, xattrs: { 'user.new': '3' } },
        { type: 'file', path: 'm/a', content: 'a' },
        { type: 'file', path: 'm/b', content: 'b', gid: 6 },
      ],
    );
  });

  it('hardlinks to same-layer and lower-layer files; overwriting or removing one name leaves the others alone', async () => {
    const work = await makeWork('hardlinks');
    await expectApplied(
      work,
      {
        layers: [
          {
            entries: [
              { type: 'file', path: 'h/a', content: 'shared', mode: 0o4750, uid: 9, gid: 9, mtime: T1 },
              { type: 'hardlink', path: 'h/b', target: 'h/a' },
              { type: 'hardlink', path: 'h/c', target: 'h/a' },
              { type: 'symlink', path: 'h/sym', target: 'a' },
              { type: 'hardlink', path: 'h/sym-hard', target: 'h/sym' },
            ],
          },
          {
            entries: [
              { type: 'hardlink', path: 'other/d', target: 'h/a' },
              { type: 'file', path: 'h/b', content: 'replaced' },
              { type: 'whiteout', path: 'h/c' },
            ],
          },
        ],
      },
      [
        { type: 'file', path: 'h/a', content: 'shared', mode: 0o4750, uid: 9, gid: 9, mtime: T1 },
        { type: 'hardlink', path: 'other/d', target: 'h/a' },
        { type: 'file', path: 'h/b', content: 'replaced' },
        { type: 'symlink', path: 'h/sym', target: 'a' },
        { type: 'hardlink', path: 'h/sym-hard', target: 'h/sym' },
      ],
      { ignoreDirMtimes: true },
    );
  });
});

describe('paths', () => {
  it('merged /usr: entries through bin -> usr/bin land in usr/bin, the links stay, /bin/sh resolves', async () => {
    const work = await makeWork('usrmerge');
    await expectApplied(
      work,
      {
        layers: [
          {
            entries: [
              { type: 'symlink', path: 'bin', target: 'usr/bin' },
              { type: 'symlink', path: 'lib', target: 'usr/lib' },
              { type: 'symlink', path: 'sbin', target: 'usr/sbin' },
              { type: 'dir', path: 'usr', mtime: T1 },
              { type: 'dir', path: 'usr/bin', mtime: T1 },
              { type: 'dir', path: 'usr/lib', mtime: T1 },
              { type: 'file', path: 'usr/bin/dash', content: 'dash', mode: 0o755 },
              { type: 'symlink', path: 'usr/bin/sh', target: 'dash' },
              { type: 'file', path: 'usr/bin/oldtool', content: 'old' },
            ],
          },
          {
            entries: [
              { type: 'file', path: 'bin/newtool', content: 'new', mode: 0o755 },
              { type: 'file', path: 'lib/libfoo.so', content: 'lib' },
              { type: 'file', path: 'sbin/init', content: 'init', mtime: T2 }, // usr/sbin does not exist yet
              { type: 'whiteout', path: 'bin/oldtool' },
            ],
          },
          { entries: [{ type: 'dir', path: 'usr/bin', mode: 0o755, mtime: T3 }] },
        ],
      },
      [
        { type: 'symlink', path: 'bin', target: 'usr/bin' },
        { type: 'symlink', path: 'lib', target: 'usr/lib' },
        { type: 'symlink', path: 'sbin', target: 'usr/sbin' },
        { type: 'dir', path: 'usr', mtime: T1 },
        { type: 'dir', path: 'usr/bin', mtime: T3 },
        { type: 'dir', path: 'usr/lib', mtime: T1 },
        { type: 'dir', path: 'usr/sbin', mode: 0o755, mtime: T2 },
        { type: 'file', path: 'usr/bin/dash', content: 'dash', mode: 0o755 },
        { type: 'symlink', path: 'usr/bin/sh', target: 'dash' },
        { type: 'file', path: 'usr/bin/newtool', content: 'new', mode: 0o755 },
        { type: 'file', path: 'usr/lib/libfoo.so', content: 'lib' },
        { type: 'file', path: 'usr/sbin/init', content: 'init', mtime: T2 },
      ],
    );
    expect(realpathSync(join(work.root, 'bin/sh'))).toBe(join(realpathSync(work.root), 'usr/bin/dash'));
    expect(statSync(join(work.root, 'bin/sh')).isFile()).toBe(true);
  });

  it('resolves absolute and relative symlinks in parents inside the root, and names with ./, //, a/../ and a leading /', async () => {
    const work = await makeWork('parents');
    await applyImage(
      {
        layers: [
          {
            entries: [
              { type: 'dir', path: 'usr/share/x' },
              { type: 'symlink', path: 'abs', target: '/usr/share/x' },
              { type: 'symlink', path: 'a/rel', target: '../usr/./share//x/' },
              { type: 'symlink', path: 'chain', target: 'abs' },
            ],
          },
          {
            entries: [
              { type: 'file', path: 'abs/one', content: '1' },
              { type: 'file', path: 'a/rel/two', content: '2' },
              { type: 'file', path: 'chain/three', content: '3' },
              { type: 'raw', header: { name: './usr//share/./y/../x/four', type: 'file' }, body: Buffer.from('4') },
              { type: 'raw', header: { name: '/usr/share/x/five', type: 'file' }, body: Buffer.from('5') },
            ],
          },
        ],
      },
      work.root,
    );
    const content = (path: string, text: string): ExpectedEntry => ({ type: 'file', path, content: text });
    await expectTree(
      work.root,
      [
        { type: 'symlink', path: 'abs', target: '/usr/share/x' },
        { type: 'symlink', path: 'a/rel', target: '../usr/./share//x/' },
        { type: 'symlink', path: 'chain', target: 'abs' },
        content('usr/share/x/one', '1'),
        content('usr/share/x/two', '2'),
        content('usr/share/x/three', '3'),
        content('usr/share/x/four', '4'),
        content('usr/share/x/five', '5'),
      ],
      { ignoreDirMtimes: true },
    );
    await expectCanaryUntouched(work);
  });

  it('creates missing parents as root-owned 0755 directories with the mtime of the entry that needed them', async () => {
    const work = await makeWork('implicit');
    await expectApplied(
      work,
      { layers: [{ entries: [{ type: 'file', path: 'p/q/r/file', content: 'x', mtime: T2 }] }] },
      [
        { type: 'dir', path: '.', mode: 0o755, mtime: 0 },
        { type: 'dir', path: 'p', mode: 0o755, mtime: T2 },
        { type: 'dir', path: 'p/q', mode: 0o755, mtime: T2 },
        { type: 'dir', path: 'p/q/r', mode: 0o755, mtime: T2 },
        { type: 'file', path: 'p/q/r/file', content: 'x', mtime: T2 },
      ],
    );
  });
});

describe('directory mtimes', () => {
  it('are set after their children, from the topmost entry for the directory', async () => {
    const work = await makeWork('mtimes');
    await expectApplied(
      work,
      {
        layers: [
          {
            entries: [
              { type: 'dir', path: '.', mode: 0o755, mtime: 11 },
              { type: 'dir', path: 'a', mtime: 100 },
              { type: 'dir', path: 'a/b', mtime: 200 },
              { type: 'file', path: 'a/b/c', content: 'c', mtime: 300 },
              { type: 'file', path: 'a/x', content: 'x', mtime: 400 },
            ],
          },
          { entries: [{ type: 'file', path: 'a/b/new', content: 'n', mtime: 500 }, { type: 'whiteout', path: 'a/x' }] },
          { entries: [{ type: 'dir', path: 'a', mtime: 600 }] },
        ],
      },
      [
        { type: 'dir', path: '.', mode: 0o755, mtime: 11 },
        { type: 'dir', path: 'a', mtime: 600 },
        { type: 'dir', path: 'a/b', mtime: 200 },
        { type: 'file', path: 'a/b/c', content: 'c', mtime: 300 },
        { type: 'file', path: 'a/b/new', content: 'n', mtime: 500 },
      ],
    );
  });
});
