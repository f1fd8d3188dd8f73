// The tree verifier against real EROFS disks: a tree with every entry type goes
// through mkfs.erofs and a loop mount and must compare equal to its source and
// its spec; then each kind of difference is planted in a copy and must be
// reported exactly, by path and attribute.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { appendFile, chmod, lchown, lutimes, mkdir, mkdtemp, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fsextra } from '../agent/native/fsextra.js';
import type { ExpectedEntry } from '../testkit/fixtures/spec.js';
import {
  compareTrees,
  expectedTreeFromSpec,
  formatDifferences,
  isMounted,
  loopDevicesOf,
  mountUnavailableReason,
  snapshotTree,
  withMountedErofs,
  writeTree,
  type Difference,
  type TreeSnapshot,
} from '../testkit/verify/index.js';

// VFS_CAP_REVISION_2 | effective, permitted = CAP_NET_BIND_SERVICE (bit 10): what `setcap cap_net_bind_service+ep` writes.
const CAPABILITY = Buffer.from('0100000200040000000000000000000000000000', 'hex');

const SPEC: ExpectedEntry[] = [
  { type: 'dir', path: '/', mode: 0o755, mtime: 1_600_000_000 },
  { type: 'file', path: 'etc/hello.txt', content: 'hello\n', mtime: 1_650_000_000 },
  { type: 'symlink', path: 'etc/dangling', target: '/nonexistent/target', uid: 1234, gid: 5678 },
  { type: 'symlink', path: 'bin', target: 'usr/bin' },
  { type: 'file', path: 'usr/bin/su', content: { size: 70_000, seed: 1 }, mode: 0o4755 },
  { type: 'file', path: 'usr/bin/wall', content: 'wall', mode: 0o2755, gid: 5 },
  {
    type: 'file',
    path: 'usr/bin/ping',
    content: 'ping',
    mode: 0o755,
    xattrs: { 'user.note': 'hi', 'security.capability': CAPABILITY, 'trusted.flag': Buffer.from([0, 1, 2]) },
  },
  { type: 'dir', path: 'tmp', mode: 0o1777 },
  { type: 'dir', path: 'opt', xattrs: { 'user.dir': 'yes' } },
  { type: 'file', path: 'data/a', content: { size: 3 << 20, seed: 2 }, mtime: 1_700_000_123 },
  { type: 'hardlink', path: 'data/b', target: 'data/a' },
  { type: 'hardlink', path: 'srv/c', target: 'data/b' },
  { type: 'char', path: 'dev/null', major: 1, minor: 3, mode: 0o666 },
  { type: 'block', path: 'dev/nvme', major: 259, minor: 300_000, mode: 0o660, gid: 6 },
  { type: 'fifo', path: 'run/fifo', mode: 0o600 },
  { type: 'dir', path: 'home/user', mode: 0o700, uid: 1234, gid: 5678 },
  { type: 'file', path: 'home/user/owned', content: '', uid: 1234, gid: 5678, mtime: 1_234_567_890 },
];

const S_IFSOCK = 0o140000;
const CLI = resolve('dist-dev/scripts/compare-tree.js');
const unavailable = mountUnavailableReason();

let work: string;
let source: string;
let image: string;
let reference: TreeSnapshot; // the mounted disk's snapshot

beforeAll(async () => {
  if (unavailable) return;
  work = await mkdtemp(join(tmpdir(), 'verify-test-'));
  source = join(work, 'source');
  image = join(work, 'disk.erofs');
  await mkdir(source);
  await writeTree(source, SPEC);
  // A socket, which a spec cannot describe: the source and disk have it, the spec does not.
  fsextra.mknod(join(source, 'run/socket'), S_IFSOCK | 0o755, 0, 0);
  await lutimes(join(source, 'run/socket'), 1_600_000_000, 1_600_000_000);
  await lutimes(join(source, 'run'), 1_700_000_000, 1_700_000_000);
  execFileSync('mkfs.erofs', ['-zlz4', image, source], { stdio: 'pipe' });
  reference = await withMountedErofs(image, (mountpoint) => snapshotTree(mountpoint));
});

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

let copies = 0;
/** Copies the source, applies `mutate`, puts directory mtimes back, and compares with the disk. */
async function plant(mutate: (dir: string) => Promise<void> | void): Promise<Difference[]> {
  const copy = join(work, `copy-${copies++}`);
  execFileSync('cp', ['-a', source, copy]);
  await mutate(copy);
  // Planting changes parent directories' mtimes; those are not the planted difference.
  for (const entry of reference.values()) {
    if (entry.type === 'dir' && existsSync(join(copy, entry.path))) await lutimes(join(copy, entry.path), entry.mtime, entry.mtime);
  }
  const differences = compareTrees(await snapshotTree(copy), reference);
  await rm(copy, { recursive: true });
  return differences;
}

/** Runs `change` on `path` and keeps its mtime, so only the intended attribute differs. */
async function keepingMtime(path: string, change: () => Promise<void>): Promise<void> {
  await change();
  const entry = [...reference.values()].find((e) => path.endsWith(`/${e.path}`)) as { mtime: number };
  await lutimes(path, entry.mtime, entry.mtime);
}

describe.skipIf(unavailable !== undefined)(unavailable ? `tree verifier on EROFS (skipped: ${unavailable})` : 'tree verifier on EROFS', () => {
  it('sees every entry type, special mode bits, devices, xattrs and the hardlink group on the mounted disk', () => {
    expect(new Set([...reference.values()].map((e) => e.type))).toEqual(new Set(['dir', 'file', 'symlink', 'char', 'block', 'fifo', 'socket']));
    expect(reference.get('usr/bin/su')?.mode).toBe(0o4755);
    expect(reference.get('usr/bin/wall')?.mode).toBe(0o2755);
    expect(reference.get('tmp')?.mode).toBe(0o1777);
    expect(reference.get('dev/nvme')).toMatchObject({ type: 'block', major: 259, minor: 300_000, gid: 6 });
    expect(reference.get('usr/bin/ping')?.xattrs.get('security.capability')).toEqual(CAPABILITY);
    expect(reference.get('usr/bin/ping')?.xattrs.get('trusted.flag')).toEqual(Buffer.from([0, 1, 2]));
    expect(reference.get('srv/c')?.hardlinks).toEqual(['data/a', 'data/b']);
    expect(reference.get('etc/dangling')).toMatchObject({ target: '/nonexistent/target', uid: 1234, gid: 5678 });
    expect(reference.get('data/a')?.size).toBe(3 << 20);
  });

  it('finds no difference between the disk and its source tree', async () => {
    expect(formatDifferences(compareTrees(reference, await snapshotTree(source)))).toBe('');
  });

  it('finds the disk equal to the spec, except the socket the spec cannot describe', () => {
    const expected = expectedTreeFromSpec(SPEC);
    expect(compareTrees(reference, expected, { mode: 'subset' })).toEqual([]);
    expect(compareTrees(reference, expected)).toEqual([{ path: 'run/socket', attribute: 'entry', expected: 'absent', actual: 'socket' }]);
  });

  it('finds no difference in an untouched copy', async () => {
    expect(await plant(() => undefined)).toEqual([]);
  });

  const cases: Array<[string, (dir: string) => Promise<void> | void, Difference[]]> = [
    ['mode', (d) => chmod(join(d, 'etc/hello.txt'), 0o600), [{ path: 'etc/hello.txt', attribute: 'mode', expected: '0644', actual: '0600' }]],
    ['lost setuid bit', (d) => chmod(join(d, 'usr/bin/su'), 0o755), [{ path: 'usr/bin/su', attribute: 'mode', expected: '4755', actual: '0755' }]],
    ['lost sticky bit', (d) => chmod(join(d, 'tmp'), 0o777), [{ path: 'tmp', attribute: 'mode', expected: '1777', actual: '0777' }]],
    ['uid', (d) => lchown(join(d, 'home/user/owned'), 4321, 5678), [{ path: 'home/user/owned', attribute: 'uid', expected: '1234', actual: '4321' }]],
    ['gid', (d) => lchown(join(d, 'home/user/owned'), 1234, 8765), [{ path: 'home/user/owned', attribute: 'gid', expected: '5678', actual: '8765' }]],
    [
      'xattr value',
      (d) => fsextra.lsetxattr(join(d, 'usr/bin/ping'), 'user.note', Buffer.from('ho')),
      [{ path: 'usr/bin/ping', attribute: 'xattr', xattr: 'user.note', expected: '"hi"', actual: '"ho"' }],
    ],
    [
      'xattr missing',
      async (d) => {
        // No removexattr at hand: copy the file without xattrs and put back all but one.
        const path = join(d, 'usr/bin/ping');
        execFileSync('cp', ['--preserve=mode,ownership,timestamps', path, `${path}.new`]);
        fsextra.lsetxattr(`${path}.new`, 'user.note', Buffer.from('hi'));
        fsextra.lsetxattr(`${path}.new`, 'trusted.flag', Buffer.from([0, 1, 2]));
        await rename(`${path}.new`, path);
      },
      [{ path: 'usr/bin/ping', attribute: 'xattr', xattr: 'security.capability', expected: `0x${CAPABILITY.toString('hex')}`, actual: 'absent' }],
    ],
    [
      'content',
      (d) => keepingMtime(join(d, 'etc/hello.txt'), () => writeFile(join(d, 'etc/hello.txt'), 'HELLO\n')),
      [{ path: 'etc/hello.txt', attribute: 'content', expected: expect.stringMatching(/^sha256:/) as string, actual: expect.stringMatching(/^sha256:/) as string }],
    ],
    [
      'size',
      (d) => keepingMtime(join(d, 'etc/hello.txt'), () => appendFile(join(d, 'etc/hello.txt'), '!')),
      [{ path: 'etc/hello.txt', attribute: 'size', expected: '6', actual: '7' }],
    ],
    [
      'link target',
      (d) =>
        keepingMtime(join(d, 'bin'), async () => {
          await rm(join(d, 'bin'));
          await symlink('usr/sbin', join(d, 'bin'));
        }),
      [{ path: 'bin', attribute: 'target', expected: '"usr/bin"', actual: '"usr/sbin"' }],
    ],
    [
      'hardlink group split',
      async (d) => {
        execFileSync('cp', ['-a', join(d, 'data/b'), join(d, 'data/b.new')]);
        await rename(join(d, 'data/b.new'), join(d, 'data/b'));
      },
      [
        { path: 'data/a', attribute: 'hardlinks', expected: '["data/b","srv/c"]', actual: '["srv/c"]' },
        { path: 'data/b', attribute: 'hardlinks', expected: '["data/a","srv/c"]', actual: '[]' },
        { path: 'srv/c', attribute: 'hardlinks', expected: '["data/a","data/b"]', actual: '["data/a"]' },
      ],
    ],
    [
      'device number',
      (d) =>
        keepingMtime(join(d, 'dev/null'), async () => {
          await rm(join(d, 'dev/null'));
          fsextra.mknod(join(d, 'dev/null'), 0o020666, 1, 5);
          await chmod(join(d, 'dev/null'), 0o666);
        }),
      [{ path: 'dev/null', attribute: 'device', expected: '1:3', actual: '1:5' }],
    ],
    [
      'type',
      (d) =>
        keepingMtime(join(d, 'run/fifo'), async () => {
          await rm(join(d, 'run/fifo'));
          await writeFile(join(d, 'run/fifo'), '', { mode: 0o600 });
        }),
      [{ path: 'run/fifo', attribute: 'type', expected: 'fifo', actual: 'file' }],
    ],
    ['missing entry', (d) => rm(join(d, 'etc/hello.txt')), [{ path: 'etc/hello.txt', attribute: 'entry', expected: 'file', actual: 'absent' }]],
    ['extra entry', (d) => writeFile(join(d, 'etc/new'), ''), [{ path: 'etc/new', attribute: 'entry', expected: 'absent', actual: 'file' }]],
    [
      'mtime',
      (d) => lutimes(join(d, 'etc/hello.txt'), 1_650_000_001, 1_650_000_001),
      [{ path: 'etc/hello.txt', attribute: 'mtime', expected: '1650000000', actual: '1650000001' }],
    ],
  ];
  it.each(cases)('reports a planted %s difference, and only that', async (_kind, mutate, expected) => {
    expect(await plant(mutate)).toEqual(expected);
  });

  it('prints every difference on its own line', async () => {
    const differences = await plant(async (d) => {
      await chmod(join(d, 'usr/bin/su'), 0o755);
      fsextra.lsetxattr(join(d, 'usr/bin/ping'), 'user.note', Buffer.from([0xff, 0]));
    });
    expect(formatDifferences(differences).split('\n')).toEqual([
      'usr/bin/ping: xattr user.note: expected "hi", actual 0xff00',
      'usr/bin/su: mode: expected 4755, actual 0755',
    ]);
  });
});

describe.skipIf(unavailable !== undefined)(unavailable ? `withMountedErofs (skipped: ${unavailable})` : 'withMountedErofs', () => {
  async function expectCleanedUp(mountpoint: string): Promise<void> {
    expect(await isMounted(mountpoint)).toBe(false);
    expect(existsSync(mountpoint)).toBe(false);
    expect(await loopDevicesOf(image)).toEqual([]);
  }

  it('mounts read-only and cleans up after success', async () => {
    let seen = '';
    const value = await withMountedErofs(image, (mountpoint) => {
      seen = mountpoint;
      expect(() => writeFileSync(join(mountpoint, 'x'), '')).toThrow(expect.objectContaining({ code: 'EROFS' }));
      return 42;
    });
    expect(value).toBe(42);
    await expectCleanedUp(seen);
  });

  it('unmounts, removes the directory and frees the loop device when fn throws', async () => {
    let seen = '';
    await expect(
      withMountedErofs(image, async (mountpoint) => {
        seen = mountpoint;
        expect(await isMounted(mountpoint)).toBe(true);
        expect(await loopDevicesOf(image)).toHaveLength(1);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await expectCleanedUp(seen);
  });

  it('retries an unmount while a process still holds the mount', async () => {
    let seen = '';
    let holder: ReturnType<typeof spawn> | undefined;
    try {
      await withMountedErofs(image, (mountpoint) => {
        seen = mountpoint;
        holder = spawn('sleep', ['30'], { cwd: mountpoint, stdio: 'ignore' });
        setTimeout(() => holder?.kill(), 500);
      });
    } finally {
      holder?.kill();
    }
    await expectCleanedUp(seen);
  });

  it('mounts ext4 images with the ext4 type', async () => {
    const ext4 = join(work, 'disk.ext4');
    execFileSync('mkfs.ext4', ['-q', '-d', source, ext4, '64M'], { stdio: 'pipe' });
    // mke2fs adds lost+found (hence subset), which also bumps the root's mtime (hence ignoreRoot).
    const compare = async (mountpoint: string) => compareTrees(await snapshotTree(mountpoint), reference, { mode: 'subset', ignoreRoot: true });
    const differences = await withMountedErofs(ext4, compare, { type: 'ext4' });
    expect(formatDifferences(differences)).toBe('');
  });

  it('fails with the reason when the image is not a filesystem, leaving nothing behind', async () => {
    const junk = join(work, 'junk.img');
    await writeFile(junk, Buffer.alloc(1 << 20));
    await expect(withMountedErofs(junk, () => 'unreachable')).rejects.toThrow(/mount -t erofs .*junk\.img failed/);
    expect(await loopDevicesOf(junk)).toEqual([]);
  });

  it('refuses clearly when not root', () => {
    const script = `import { withMountedErofs } from ${JSON.stringify(resolve('dist-dev/testkit/verify/mount.js'))};
      withMountedErofs('/nonexistent.erofs', () => 0).catch((err) => { console.log(err.message); });`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { uid: 65534, gid: 65534, encoding: 'utf8' });
    expect(child.stderr).toBe('');
    expect(child.stdout.trim()).toBe('cannot mount /nonexistent.erofs: loop mounts need root (running as uid 65534)');
  });
});

describe.skipIf(unavailable !== undefined)(unavailable ? `compare-tree CLI (skipped: ${unavailable})` : 'compare-tree CLI', () => {
  const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

  it('is built', () => {
    expect(existsSync(CLI), `${CLI} missing: run npm run build first`).toBe(true);
  });

  it('exits 0 and prints nothing for a disk equal to its source', () => {
    const result = cli(image, source);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('');
    expect(result.status).toBe(0);
  });

  it('exits 1 and prints each difference', async () => {
    const copy = join(work, 'cli-copy');
    execFileSync('cp', ['-a', source, copy]);
    await chmod(join(copy, 'usr/bin/su'), 0o755);
    await writeFile(join(copy, 'extra'), '');
    await lutimes(copy, 1_600_000_000, 1_600_000_000);
    const result = cli(image, copy);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('extra: entry: expected file, actual absent\nusr/bin/su: mode: expected 0755, actual 4755\n');
    expect(cli(image, copy, '--subset').status).toBe(1);
    await chmod(join(copy, 'usr/bin/su'), 0o4755);
    expect(cli(copy, image, '--subset').status).toBe(0);
    expect(cli(copy, image).status).toBe(1);
  });

  it('ignores mtimes with --ignore-mtime', async () => {
    const copy = join(work, 'cli-mtime');
    execFileSync('cp', ['-a', source, copy]);
    await lutimes(join(copy, 'etc/hello.txt'), 1, 1);
    expect(cli(image, copy).stdout).toBe('etc/hello.txt: mtime: expected 1, actual 1650000000\n');
    expect(cli(image, copy, '--ignore-mtime').status).toBe(0);
  });

  it('exits 2 on usage errors and unreadable input', async () => {
    expect(cli().status).toBe(2);
    expect(cli(image).status).toBe(2);
    expect(cli(image, source, '--bogus').status).toBe(2);
    expect(cli(join(work, 'nonexistent'), source).status).toBe(2);
    const notDisk = join(work, 'not-a-disk');
    await writeFile(notDisk, 'plain text');
    const result = cli(notDisk, source);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('neither a directory nor an EROFS or ext4 image');
    expect(cli('--help').status).toBe(0);
  });
});
