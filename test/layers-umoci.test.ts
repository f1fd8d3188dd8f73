// The reference comparison: the same image, pulled from the test registry with
// skopeo, unpacked by `umoci unpack` (as root) and by our engine (and, for the
// rules image, converted to an EROFS disk and loop-mounted), compared file
// by file. Where umoci departs from the layer rules, the difference is listed
// here with the rule that decides it; anything else fails the test.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, realpathSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { convertImage } from '../agent/convert.js';
import { applyLayers } from '../agent/layers/apply.js';
import { layoutBlobs, readLayout } from '../scripts/oci-layout.js';
import { pushImage, type EntrySpec, type ImageSpec } from '../testkit/fixtures/index.js';
import { everyType } from './layers/specs.js';
import { compareTrees, formatDifferences, snapshotTree, withMountedErofs, type Difference } from '../testkit/verify/index.js';

const registry = inject('registryAddress');
const CACHE = process.env.EROFS_BUILDER_CACHE ?? '/var/cache/erofs-builder';
const scratch = mkdtempSync('/dev/shm/layers-umoci-');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function run(cmd: string, args: string[]): void {
  execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Pulls `reference` from the test registry into an OCI layout, unpacks it with umoci and with our engine. */
async function unpackBoth(name: string, reference: string): Promise<{ ours: string; theirs: string }> {
  const layout = join(scratch, `${name}-oci`);
  const bundle = join(scratch, `${name}-bundle`);
  const ours = join(scratch, `${name}-ours`);
  run('skopeo', ['copy', '--quiet', '--src-tls-verify=false', `docker://${reference}`, `oci:${layout}:test`]);
  run('umoci', ['unpack', '--image', `${layout}:test`, bundle]);
  execFileSync('mkdir', [ours]);
  await applyLayers(ours, layoutBlobs(readLayout(layout, 'test')));
  return { ours, theirs: join(bundle, 'rootfs') };
}

const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

async function differences(ours: string, theirs: string): Promise<Difference[]> {
  return compareTrees(await snapshotTree(ours), await snapshotTree(theirs));
}

const T = 1_650_000_000;
const long = `${'long-directory-name/'.repeat(8)}long-file-name`;

// Real layer writers put an entry before every directory's content; with those, umoci and
// the rules agree on every directory mtime (implicit directories are a departure, below).
const directories = ['.', 'srv', 'home', 'home/user', 'modes', 'links', 'dev', 'run', 'wh', 'wh/tree', 'wh/tree/a', 'types', 'hl'];
for (let depth = 1; depth <= 8; depth++) directories.push('long-directory-name/'.repeat(depth).slice(0, -1));
const directoryEntries: EntrySpec[] = directories.map((path) => ({ type: 'dir', path, mtime: T }));

const conformance: ImageSpec = {
  layers: [
    {
      compression: 'gzip',
      entries: [
        ...directoryEntries,
        ...everyType,
        { type: 'symlink', path: 'lib', target: 'usr/lib' },
        { type: 'symlink', path: 'sbin', target: 'usr/sbin' },
        { type: 'dir', path: 'usr', mtime: T },
        { type: 'dir', path: 'usr/lib', mtime: T },
        { type: 'file', path: 'usr/lib/libc.so', content: 'libc' },
        { type: 'file', path: 'usr/lib/old.so', content: 'old' },
        { type: 'file', path: 'wh/file', content: 'lower' },
        { type: 'file', path: 'wh/before', content: 'lower' },
        { type: 'file', path: 'wh/after', content: 'lower' },
        { type: 'file', path: 'wh/tree/a/b', content: 'lower' },
        { type: 'dir', path: 'o1', mode: 0o750, mtime: T },
        { type: 'file', path: 'o1/lower', content: 'lower' },
        { type: 'dir', path: 'o2', mode: 0o750, mtime: T },
        { type: 'file', path: 'o2/lower', content: 'lower' },
        { type: 'file', path: 'types/f2d', content: 'f' },
        { type: 'dir', path: 'types/d2f' },
        { type: 'file', path: 'types/d2f/child', content: 'c' },
        { type: 'symlink', path: 'types/l2d', target: '../wh' },
        { type: 'dir', path: 'types/d2l' },
        { type: 'file', path: 'types/d2l/child', content: 'c' },
        { type: 'dir', path: 'merge', mode: 0o755, xattrs: { 'user.old': 'x' } },
        { type: 'file', path: 'merge/kept', content: 'k' },
        { type: 'file', path: 'hl/a', content: 'shared', mode: 0o600, uid: 4 },
        { type: 'hardlink', path: 'hl/b', target: 'hl/a' },
        { type: 'dir', path: 'gone', mode: 0o700 },
        { type: 'file', path: 'gone/old', content: 'old' },
      ],
    },
    {
      // umoci 0.4.7 cannot read zstd layers; zstd itself is covered in layers-metadata.
      compression: 'gzip',
      entries: [
        { type: 'whiteout', path: 'wh/file' },
        { type: 'whiteout', path: 'wh/tree' },
        { type: 'whiteout', path: 'wh/before' },
        { type: 'file', path: 'wh/before', content: 'upper' },
        { type: 'file', path: 'wh/after', content: 'upper' },
        { type: 'whiteout', path: 'wh/after' },
        { type: 'opaque', dir: 'o1' },
        { type: 'file', path: 'o1/upper', content: 'upper' },
        { type: 'file', path: 'o2/upper', content: 'upper' },
        { type: 'opaque', dir: 'o2' },
        { type: 'dir', path: 'types/f2d', mode: 0o700 },
        { type: 'file', path: 'types/d2f', content: 'now a file' },
        { type: 'dir', path: 'types/l2d' },
        { type: 'symlink', path: 'types/d2l', target: '/usr' },
        { type: 'dir', path: 'merge', mode: 0o2750, gid: 7, xattrs: { 'user.new': 'y' } },
        { type: 'hardlink', path: 'hl/c', target: 'hl/a' },
        { type: 'file', path: 'hl/b', content: 'replaced' },
        { type: 'file', path: 'lib/new.so', content: 'through the lib link' },
        { type: 'whiteout', path: 'lib/old.so' },
        { type: 'file', path: long, content: 'pax long name' },
        { type: 'symlink', path: 'long-link', target: long },
        { type: 'whiteout', path: 'gone' },
      ],
    },
    {
      compression: 'none',
      longNames: 'gnu',
      entries: [
        { type: 'dir', path: 'gone', mode: 0o755, mtime: T },
        { type: 'file', path: 'gone/new', content: 'new' },
        { type: 'file', path: `${long}-gnu`, content: 'gnu long name' },
        { type: 'hardlink', path: `${long}-gnu-link`, target: `${long}-gnu` },
        { type: 'dir', path: 'usr/lib', mtime: T + 1 },
      ],
    },
  ],
};

// An implicit parent (sbin -> usr/sbin does not exist yet) and LIBARCHIVE xattrs are
// outside what umoci agrees on (see the departures below); they get their own image.
const departures: ImageSpec = {
  layers: [
    {
      entries: [
        { type: 'symlink', path: 'sbin', target: 'usr/sbin' },
        { type: 'file', path: 'sbin/init', content: 'init', mtime: T },
        { type: 'raw', header: { name: 'bsdtar', type: 'file', pax: { 'LIBARCHIVE.xattr.user.bsd': Buffer.from('v').toString('base64') } }, body: Buffer.from('x') },
      ] as EntrySpec[],
    },
  ],
};

describe('against umoci unpack', () => {
  it('gives the same tree as umoci for an image covering every rule (gzip and plain layers), applied and on the EROFS disk', async () => {
    const pushed = await pushImage(registry, 'layers-umoci/conformance', conformance);
    const { ours, theirs } = await unpackBoth('conformance', pushed.reference);
    expect(formatDifferences(await differences(ours, theirs))).toBe('');
    // The same image through the whole pipeline (registry -> tmpfs -> mkfs.erofs), loop-mounted.
    const disk = join(scratch, 'conformance.erofs');
    await convertImage({ reference: pushed.reference, registry: { insecure: true }, outputPath: disk, workDir: scratch });
    const onDisk = await withMountedErofs(disk, async (mountpoint) => differences(mountpoint, theirs));
    expect(formatDifferences(onDisk)).toBe('');
  });

  it('departs from umoci only where the rules decide otherwise', async () => {
    const pushed = await pushImage(registry, 'layers-umoci/departures', departures);
    const { ours, theirs } = await unpackBoth('departures', pushed.reference);
    const found = (await differences(ours, theirs)).map((d) => `${d.path} ${d.attribute}${d.xattr ? ` ${d.xattr}` : ''}`);
    expect(found.sort()).toEqual(
      [
        // Implicit parents: umoci leaves usr and usr/sbin, and the root they were created in,
        // with the time of the unpack; the rules give them the mtime of the entry that needed
        // them (the root: 0, as umoci itself does when no layer adds to it), so disks are reproducible.
        '. mtime',
        'usr mtime',
        'usr/sbin mtime',
        // umoci (Go's archive/tar) reads only SCHILY.xattr.*; the rules keep LIBARCHIVE.xattr.* too.
        'bsdtar xattr user.bsd',
      ].sort(),
    );
  });
});

describe('names climbing out of the root', () => {
  it('umoci clamps ../ into the root; the rules refuse the layer with UNSAFE_PATH', async () => {
    const pushed = await pushImage(registry, 'layers-umoci/dotdot', { layers: [{ entries: [{ type: 'raw', header: { name: '../../escape', type: 'file' }, body: Buffer.from('x') }] }] });
    const layout = join(scratch, 'dotdot-oci');
    const bundle = join(scratch, 'dotdot-bundle');
    run('skopeo', ['copy', '--quiet', '--src-tls-verify=false', `docker://${pushed.reference}`, `oci:${layout}:test`]);
    run('umoci', ['unpack', '--image', `${layout}:test`, bundle]);
    expect(statSync(join(bundle, 'rootfs', 'escape')).isFile()).toBe(true);
    const ours = join(scratch, 'dotdot-ours');
    execFileSync('mkdir', [ours]);
    await expect(applyLayers(ours, layoutBlobs(readLayout(layout, 'test')))).rejects.toMatchObject({ code: 'UNSAFE_PATH' });
  });
});

describe('the realistic image (Debian 12 minbase + buildah layers)', () => {
  let reference = '';
  beforeAll(() => {
    // Idempotent: a no-op when the cache exists; builds it (debootstrap + buildah, ~1-3 min) on a clean machine.
    execFileSync('bash', [join(import.meta.dirname, '..', 'scripts', 'cache-debian-minbase.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
    reference = `${registry}/layers-umoci/debian:latest`;
    run('skopeo', ['copy', '--quiet', '--dest-tls-verify=false', `oci:${join(CACHE, 'realistic-oci')}:latest`, `docker://${reference}`]);
  }, 600_000);

  it('gives the same tree as umoci, file by file, with /bin/sh intact, applied and on the EROFS disk', async () => {
    const { ours, theirs } = await unpackBoth('debian', reference);
    const tree = await snapshotTree(ours);
    expect(formatDifferences(compareTrees(tree, await snapshotTree(theirs)))).toBe('');
    expect(realpathSync(join(ours, 'bin/sh'))).toBe(join(realpathSync(ours), 'usr/bin/dash'));
    expect(statSync(join(ours, 'bin/sh')).isFile()).toBe(true);

    // "0 differences" means something only if the image exercises the rules: what the
    // buildah layers of cache-debian-minbase.sh did must be there (a cache rebuilt by
    // another buildah that flattened them would otherwise pass unnoticed).
    const entry = (path: string) => tree.get(path);
    const children = (dir: string) => [...tree.keys()].filter((path) => path.startsWith(`${dir}/`)).sort();
    expect(children('usr/share/doc')).toEqual(['usr/share/doc/recreated', 'usr/share/doc/recreated/only-new']); // ~90 whiteouts, then recreated
    expect(entry('usr/share/man')).toBeUndefined(); // a whole tree whited out
    expect(children('opt/tree/a')).toEqual(['opt/tree/a/fresh']); // deleted and recreated in the next layer
    expect(entry('usr/bin/less')?.type).toBe('file'); // installed by apt in layer 2
    expect(entry('usr/bin/less-hardlink')).toBeUndefined();
    // A hardlink group made in layer 3; in layer 4 one name removed, one replaced: the first keeps its content.
    expect([entry('srv/linked2'), entry('srv/linked')?.sha256, entry('srv/linked3')?.sha256]).toEqual([undefined, sha256Hex('data\n'), sha256Hex('changed\n')]);
    expect([...tree.values()].filter((e) => e.type === 'file' && e.hardlinks.length > 0).length).toBeGreaterThan(0); // from the base layer
    expect(entry('etc/issue.net')).toMatchObject({ type: 'symlink', target: 'issue' }); // file -> dir -> symlink
    expect(entry('var/backups')).toMatchObject({ type: 'symlink', target: '/var/tmp' }); // dir -> symlink
    expect(entry('usr/local/bin/suid')?.mode).toBe(0o4755);
    expect(entry('srv/sticky-sgid')).toMatchObject({ type: 'dir', mode: 0o3777 });
    expect(entry('srv/fifo')?.type).toBe('fifo');
    expect(entry('srv/owned')).toMatchObject({ uid: 1234, gid: 5678 });
    expect(entry('usr/local/bin/capfile')?.xattrs.has('security.capability')).toBe(true);

    // And the disk the whole pipeline makes of it holds exactly that tree.
    const disk = join(scratch, 'debian.erofs');
    await convertImage({ reference, registry: { insecure: true }, outputPath: disk, workDir: scratch });
    const onDisk = await withMountedErofs(disk, async (mountpoint) => compareTrees(await snapshotTree(mountpoint), tree));
    expect(formatDifferences(onDisk)).toBe('');
  });
});
