// Hostile layers: every one either fails with a stable error code or is
// confined to the root, and a canary directory next to the root (which the
// layers aim at) is checked untouched every time.
import { lstatSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyLayers, type ApplyOptions } from '../agent/layers/apply.js';
import { buildImage, type EntrySpec, type ImageSpec } from '../testkit/fixtures/index.js';
import { applyFailure, applyImage, expectCanaryUntouched, layerBlobs, makeWork, removeWorks, type Work } from './layers/support.js';

afterAll(removeWorks);

const file = (name: string, text = 'pwned'): EntrySpec => ({ type: 'raw', header: { name, type: 'file' }, body: Buffer.from(text) });

async function expectRejected(label: string, spec: (work: Work) => ImageSpec, code: string, options: ApplyOptions = {}): Promise<void> {
  const work = await makeWork(label);
  const err = await applyFailure(spec(work), work.root, options);
  expect(err.code, err.message).toBe(code);
  await expectCanaryUntouched(work);
}

async function expectConfined(label: string, spec: (work: Work) => ImageSpec, check: (work: Work) => void): Promise<void> {
  const work = await makeWork(label);
  await applyImage(spec(work), work.root);
  check(work);
  await expectCanaryUntouched(work);
}

/** The text of a file inside the root at a host-absolute path, i.e. where a chrooted writer would have put it. */
const insideRoot = (work: Work, hostPath: string): string => readFileSync(join(work.root, hostPath), 'utf8');

describe('hostile names', () => {
  it('refuses ../ entries that climb out of the root with UNSAFE_PATH', async () => {
    await expectRejected('dotdot', () => ({ layers: [{ entries: [file('../canary/canary.txt')] }] }), 'UNSAFE_PATH');
    await expectRejected('dotdot-deep', () => ({ layers: [{ entries: [file('a/b/../../../canary/canary.txt')] }] }), 'UNSAFE_PATH');
    await expectRejected('dotdot-dir', () => ({ layers: [{ entries: [{ type: 'raw', header: { name: '../canary/newdir', type: 'directory' } }] }] }), 'UNSAFE_PATH');
    await expectRejected('dotdot-whiteout', () => ({ layers: [{ entries: [file('../canary/.wh.canary.txt', '')] }] }), 'UNSAFE_PATH');
  });

  it('confines absolute names to the root', async () => {
    await expectConfined(
      'absolute',
      (work) => ({ layers: [{ entries: [file(join(work.canary, 'canary.txt')), file('/etc/passwd', 'root-confined')] }] }),
      (work) => {
        expect(insideRoot(work, join(work.canary, 'canary.txt'))).toBe('pwned');
        expect(insideRoot(work, 'etc/passwd')).toBe('root-confined');
      },
    );
  });

  it('refuses a symlink, file or device as the root entry', async () => {
    await expectRejected('root-symlink', () => ({ layers: [{ entries: [{ type: 'raw', header: { name: './', type: 'symlink', linkname: '/' } }] }] }), 'INVALID_LAYER');
    await expectRejected('root-file', () => ({ layers: [{ entries: [file('.')] }] }), 'INVALID_LAYER');
    await expectRejected('root-device', () => ({ layers: [{ entries: [{ type: 'raw', header: { name: '/', type: 'block-device', devmajor: 8, devminor: 0 } }] }] }), 'INVALID_LAYER');
  });
});

describe('symlinks planted to escape', () => {
  for (const where of ['same layer', 'later layer'] as const) {
    it(`writes through a symlink to / stay in the root (${where})`, async () => {
      await expectConfined(
        `slash-${where.replace(' ', '-')}`,
        (work) => {
          const plant: EntrySpec = { type: 'symlink', path: 'escape', target: '/' };
          const attack = [file(`escape${work.canary}/canary.txt`), { type: 'raw', header: { name: `escape${work.canary}/new-dir`, type: 'directory' } } as EntrySpec];
          return { layers: where === 'same layer' ? [{ entries: [plant, ...attack] }] : [{ entries: [plant] }, { entries: attack }] };
        },
        (work) => {
          expect(insideRoot(work, join(work.canary, 'canary.txt'))).toBe('pwned');
          expect(lstatSync(join(work.root, work.canary, 'new-dir')).isDirectory()).toBe(true);
          expect(lstatSync(join(work.root, 'escape')).isSymbolicLink()).toBe(true);
        },
      );
    });

    it(`writes through a symlink to ../.. are clamped at the root (${where})`, async () => {
      await expectConfined(
        `dotdot-link-${where.replace(' ', '-')}`,
        () => {
          const plant: EntrySpec[] = [
            { type: 'symlink', path: 'a/up', target: '../../..' },
            { type: 'symlink', path: 'sibling', target: '../canary' },
          ];
          const attack = [file('a/up/canary/canary.txt', 'via up'), file('sibling/canary.txt', 'via sibling'), file('sibling/etc/passwd', 'via sibling')];
          return { layers: where === 'same layer' ? [{ entries: [...plant, ...attack] }] : [{ entries: plant }, { entries: attack }] };
        },
        (work) => {
          // Both resolve to <root>/canary: '..' stops at the root.
          expect(insideRoot(work, 'canary/canary.txt')).toBe('via sibling');
          expect(insideRoot(work, 'canary/etc/passwd')).toBe('via sibling');
        },
      );
    });
  }

  it('replaces a symlink named like a later file instead of writing through it', async () => {
    await expectConfined(
      'final-link',
      (work) => ({
        layers: [
          {
            entries: [
              { type: 'symlink', path: 'passwd', target: join(work.canary, 'canary.txt') },
              { type: 'symlink', path: 'dir-link', target: work.canary },
              { type: 'symlink', path: 'rel-link', target: '../canary/canary.txt' },
              { type: 'symlink', path: 'fifo-over-link', target: join(work.canary, 'canary.txt') },
            ],
          },
          {
            entries: [
              file('passwd', 'new file'),
              { type: 'raw', header: { name: 'dir-link', type: 'directory', mode: 0o777 } },
              { type: 'raw', header: { name: 'rel-link', type: 'link', linkname: 'passwd' } },
              { type: 'raw', header: { name: 'fifo-over-link', type: 'fifo' } },
            ],
          },
        ],
      }),
      (work) => {
        expect(insideRoot(work, 'passwd')).toBe('new file');
        expect(lstatSync(join(work.root, 'dir-link')).isDirectory()).toBe(true);
        expect(lstatSync(join(work.root, 'rel-link')).ino).toBe(lstatSync(join(work.root, 'passwd')).ino);
        expect(lstatSync(join(work.root, 'fifo-over-link')).isFIFO()).toBe(true);
      },
    );
  });

  it('whiteouts and opaque markers through escaping symlinks remove nothing outside', async () => {
    await expectConfined(
      'whiteout-escape',
      (work) => ({
        layers: [
          {
            entries: [
              { type: 'symlink', path: 'esc', target: '/' },
              { type: 'symlink', path: 'esc-base', target: work.canary },
              { type: 'symlink', path: 'esc-rel', target: '../canary' },
            ],
          },
          {
            entries: [
              { type: 'whiteout', path: `esc${work.canary}/canary.txt` },
              { type: 'whiteout', path: 'esc-rel/canary.txt' },
              { type: 'opaque', dir: 'esc-base' },
              { type: 'opaque', dir: 'esc-rel/etc' },
            ],
          },
        ],
      }),
      (work) => expect(lstatSync(join(work.root, 'esc')).isSymbolicLink()).toBe(true),
    );
  });

  it('fails a symlink loop in a parent with UNSAFE_PATH', async () => {
    await expectRejected(
      'loop',
      () => ({
        layers: [
          {
            entries: [
              { type: 'symlink', path: 'loop1', target: 'loop2' },
              { type: 'symlink', path: 'loop2', target: '/loop1' },
              file('loop1/x'),
            ],
          },
        ],
      }),
      'UNSAFE_PATH',
    );
  });
});

describe('hardlinks out of the root', () => {
  it('refuses a target that climbs out with UNSAFE_PATH', async () => {
    await expectRejected('hardlink-dotdot', () => ({ layers: [{ entries: [{ type: 'raw', header: { name: 'h', type: 'link', linkname: '../canary/canary.txt' } }] }] }), 'UNSAFE_PATH');
  });

  it('resolves absolute targets and targets through symlinks inside the root: missing there, so INVALID_LAYER', async () => {
    await expectRejected('hardlink-abs', (work) => ({ layers: [{ entries: [{ type: 'raw', header: { name: 'h', type: 'link', linkname: join(work.canary, 'canary.txt') } }] }] }), 'INVALID_LAYER');
    await expectRejected(
      'hardlink-via-link',
      (work) => ({
        layers: [
          { entries: [{ type: 'symlink', path: 'esc', target: '/' }] },
          { entries: [{ type: 'raw', header: { name: 'h', type: 'link', linkname: `esc${work.canary}/canary.txt` } }] },
        ],
      }),
      'INVALID_LAYER',
    );
  });

  it('links to a symlink pointing outside as the symlink itself, never its target', async () => {
    await expectConfined(
      'hardlink-symlink',
      (work) => ({
        layers: [
          {
            entries: [
              { type: 'symlink', path: 'out', target: join(work.canary, 'canary.txt') },
              { type: 'hardlink', path: 'h', target: 'out' },
            ],
          },
        ],
      }),
      (work) => {
        expect(lstatSync(join(work.root, 'h')).isSymbolicLink()).toBe(true);
        expect(lstatSync(join(work.root, 'h')).nlink).toBe(2);
      },
    );
  });

  it('refuses a hardlink to a missing target or to a directory with INVALID_LAYER', async () => {
    await expectRejected('hardlink-missing', () => ({ layers: [{ entries: [{ type: 'hardlink', path: 'h', target: 'nowhere' }] }] }), 'INVALID_LAYER');
    await expectRejected('hardlink-dir', () => ({ layers: [{ entries: [{ type: 'dir', path: 'd' }, { type: 'raw', header: { name: 'h', type: 'link', linkname: 'd' } }] }] }), 'INVALID_LAYER');
  });
});

describe('device nodes', () => {
  it('creates a device named like a host path inside the root; the host node is untouched', async () => {
    const host = statSync('/dev/null');
    await expectConfined(
      'device',
      () => ({
        layers: [
          {
            entries: [
              { type: 'char', path: '/dev/null', major: 1, minor: 5, mode: 0o600 },
              { type: 'block', path: '/dev/sda', major: 8, minor: 0 },
            ],
          },
        ],
      }),
      (work) => {
        expect(lstatSync(join(work.root, 'dev/null')).rdev).toBe((1 << 8) | 5);
        expect(lstatSync(join(work.root, 'dev/sda')).isBlockDevice()).toBe(true);
      },
    );
    const after = statSync('/dev/null');
    expect([after.rdev, after.mode, after.ino]).toEqual([host.rdev, host.mode, host.ino]);
  });

  it('refuses a device number mknod cannot take (12-bit major, 20-bit minor) with INVALID_LAYER', async () => {
    await expectRejected('device-major', () => ({ layers: [{ entries: [{ type: 'char', path: 'dev/big', major: 0x1000, minor: 0 }] }] }), 'INVALID_LAYER');
    await expectRejected('device-minor', () => ({ layers: [{ entries: [{ type: 'block', path: 'dev/big', major: 8, minor: 0x100000 }] }] }), 'INVALID_LAYER');
  });
});

describe('broken and oversized streams', () => {
  it('fails a header whose size runs past the end of the stream with TRUNCATED', async () => {
    await expectRejected('lying-size', () => ({ layers: [{ entries: [{ type: 'raw', header: { name: 'big', type: 'file', size: 1 << 20 }, body: Buffer.from('short') }] }] }), 'TRUNCATED');
  });

  for (const compression of ['gzip', 'zstd'] as const) {
    it(`fails a truncated ${compression} stream with TRUNCATED`, async () => {
      await expectRejected(
        `truncated-${compression}`,
        () => ({ layers: [{ entries: [{ type: 'file', path: 'f', content: { size: 1 << 20, seed: 1 } }], compression, fault: { kind: 'truncated' } }] }),
        'TRUNCATED',
      );
    });
  }

  it('fails a layer whose content does not match its diff_id with DIGEST_MISMATCH', async () => {
    await expectRejected('diff-id', () => ({ layers: [{ entries: [{ type: 'file', path: 'f', content: 'x' }], fault: { kind: 'wrong-diff-id' } }] }), 'DIGEST_MISMATCH');
  });

  it('stops a decompression bomb at the size cap with SIZE_LIMIT: one big file, or many empty ones', async () => {
    const cap = 16 << 20;
    await expectRejected('bomb', () => ({ layers: [{ entries: [{ type: 'file', path: 'zeros', content: Buffer.alloc(64 << 20) }] }] }), 'SIZE_LIMIT', { sizeLimit: cap });
    const empties: EntrySpec[] = [];
    for (let i = 0; i < 40_000; i++) empties.push({ type: 'file', path: `e/${i}` });
    await expectRejected('inode-bomb', () => ({ layers: [{ entries: empties }] }), 'SIZE_LIMIT', { sizeLimit: cap });
    // The decoders hold back while the extractor is behind: a bomb never sits in memory whole.
    for (const compression of ['gzip', 'zstd'] as const) {
      const work = await makeWork(`bomb-memory-${compression}`);
      const blobs = layerBlobs(buildImage({ layers: [{ entries: [{ type: 'file', path: 'zeros', content: Buffer.alloc(256 << 20) }], compression }] }));
      const before = process.memoryUsage().rss;
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 2);
      const err = await applyLayers(work.root, blobs, { sizeLimit: cap }).catch((e: unknown) => e);
      clearInterval(sampler);
      expect(err).toMatchObject({ code: 'SIZE_LIMIT' });
      expect(Math.max(peak, process.memoryUsage().rss) - before, compression).toBeLessThan(64 << 20);
    }
    // The cap counts the whole image, not each layer.
    const half = { entries: [{ type: 'file', path: 'half', content: Buffer.alloc(10 << 20) }] as EntrySpec[] };
    await expectRejected('bomb-layers', () => ({ layers: [half, half] }), 'SIZE_LIMIT', { sizeLimit: cap });
  });
});
