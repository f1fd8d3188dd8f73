// The tar reader (agent/layers/tar.ts) on its own: fixture tars, GNU tar's own
// output in every format it writes, chunking, and broken archives.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fsextra } from '../agent/native/fsextra.js';
import { buildTar, member, paxHeader, type EntrySpec } from '../testkit/fixtures/index.js';
import { codeOf, parseTar as parse, rewriteField } from './layers/tar-parse.js';

const work = mkdtempSync(join(tmpdir(), 'layers-tar-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const binaryCap = Buffer.from('0100000280200000000000000000000000000000', 'hex'); // cap_setuid,cap_net_raw=ep: has a 0x80 byte
const longName = `${'deep/'.repeat(40)}file-with-a-long-name`;

const sample: EntrySpec[] = [
  { type: 'dir', path: 'etc', mode: 0o755, mtime: 1_600_000_000 },
  { type: 'file', path: 'etc/passwd', content: 'root:x:0:0\n', mode: 0o644, uid: 0, gid: 0 },
  { type: 'file', path: 'bin/ping', content: 'ELF', mode: 0o4755, xattrs: { 'security.capability': binaryCap } },
  { type: 'symlink', path: 'bin/sh', target: 'dash' },
  { type: 'hardlink', path: 'etc/passwd-', target: 'etc/passwd' },
  { type: 'char', path: 'dev/null', major: 1, minor: 3, mode: 0o666 },
  { type: 'block', path: 'dev/sda', major: 8, minor: 0, mode: 0o660, gid: 6 },
  { type: 'fifo', path: 'run/fifo', mode: 0o600 },
  { type: 'file', path: longName, content: { size: 70_000, seed: 3 }, uid: 3_000_000, gid: 4_000_000 },
  { type: 'symlink', path: 'long-link', target: `/${longName}` },
];

describe('tar reader', () => {
  it('reads every entry type, binary xattrs, big ids and long names written as PAX', () => {
    const { entries, done } = parse(buildTar(sample));
    expect(done).toBe(true);
    expect(entries.map((e) => [e.header.name, e.header.type])).toEqual([
      ['etc/', 'dir'],
      ['etc/passwd', 'file'],
      ['bin/ping', 'file'],
      ['bin/sh', 'symlink'],
      ['etc/passwd-', 'link'],
      ['dev/null', 'char'],
      ['dev/sda', 'block'],
      ['run/fifo', 'fifo'],
      [longName, 'file'],
      ['long-link', 'symlink'],
    ]);
    const [dir, passwd, ping, sh, link, devnull, sda, fifo, long, longLink] = entries;
    expect(dir!.header.mtime).toBe(1_600_000_000);
    expect(passwd!.data.toString()).toBe('root:x:0:0\n');
    expect(ping!.header.mode).toBe(0o4755);
    expect(Buffer.from(ping!.header.pax!.get('SCHILY.xattr.security.capability')!, 'latin1').equals(binaryCap)).toBe(true);
    expect(sh!.header.linkname).toBe('dash');
    expect(link!.header.linkname).toBe('etc/passwd');
    expect([devnull!.header.devmajor, devnull!.header.devminor, devnull!.header.mode]).toEqual([1, 3, 0o666]);
    expect([sda!.header.devmajor, sda!.header.devminor, sda!.header.gid]).toEqual([8, 0, 6]);
    expect(fifo!.header.mode).toBe(0o600);
    expect([long!.header.uid, long!.header.gid, long!.data.length]).toEqual([3_000_000, 4_000_000, 70_000]);
    expect(longLink!.header.linkname).toBe(`/${longName}`);
  });

  it('reads GNU long name and long link records', () => {
    const { entries } = parse(buildTar(sample, 'gnu'));
    expect(entries[8]!.header.name).toBe(longName);
    expect(entries[9]!.header.linkname).toBe(`/${longName}`);
  });

  it('gives the same result whatever the chunking, down to single bytes', () => {
    const tar = buildTar(sample);
    const whole = parse(tar);
    for (const chunk of [1, 7, 511, 512, 513, 4096]) {
      const split = parse(tar, chunk);
      expect(split.entries.map((e) => [e.header.name, e.data.length, e.header.pax?.size])).toEqual(whole.entries.map((e) => [e.header.name, e.data.length, e.header.pax?.size]));
      expect(Buffer.concat(split.entries.map((e) => e.data)).equals(Buffer.concat(whole.entries.map((e) => e.data)))).toBe(true);
    }
  });

  it("reads GNU tar's ustar (prefix field), gnu and posix output, with xattrs and non-UTF-8 names", () => {
    const src = join(work, 'src');
    const deep = join(src, 'a'.repeat(60), 'b'.repeat(60));
    mkdirSync(deep, { recursive: true });
    writeFileSync(join(deep, 'c'.repeat(30)), 'prefix');
    writeFileSync(join(src, 'xattr'), 'x');
    fsextra.lsetxattr(join(src, 'xattr'), 'user.bin', Buffer.from([0x80, 0xff, 0x00, 0x41]));
    const latin1Name = Buffer.from([0x63, 0x61, 0x66, 0xe9]); // "café" in latin1: not UTF-8
    writeFileSync(Buffer.concat([Buffer.from(`${src}/`), latin1Name]), 'latin1');
    symlinkSync('x'.repeat(150), join(src, 'longtarget'));
    const prefixed = `${'a'.repeat(60)}/${'b'.repeat(60)}/${'c'.repeat(30)}`;
    for (const format of ['ustar', 'gnu', 'posix']) {
      const tarFile = join(work, `${format}.tar`);
      const extra = format === 'posix' ? ['--xattrs', '--xattrs-include=user.*'] : [];
      const members = format === 'ustar' ? ['./' + prefixed] : ['.'];
      execFileSync('tar', ['--format', format, ...extra, '-C', src, '-cf', tarFile, ...members]);
      const { entries } = parse(execFileSync('cat', [tarFile], { maxBuffer: 1 << 26 }));
      const byName = new Map(entries.map((e) => [e.header.name.replace(/^\.\//, ''), e]));
      expect(byName.get(prefixed)?.data.toString(), format).toBe('prefix');
      if (format === 'ustar') continue;
      expect(byName.get('longtarget')?.header.linkname, format).toBe('x'.repeat(150));
      expect(byName.get(latin1Name.toString('latin1'))?.data.toString(), format).toBe('latin1');
      if (format === 'posix') {
        const value = byName.get('xattr')!.header.pax!.get('SCHILY.xattr.user.bin')!;
        expect(Buffer.from(value, 'latin1')).toEqual(Buffer.from([0x80, 0xff, 0x00, 0x41]));
      }
    }
  });

  it('checks PAX global headers and then ignores them, as Go (and so containerd, moby, umoci) does', () => {
    const tar = Buffer.concat([
      paxHeader([['uid', '4242424'], ['mtime', '1500000000.0'], ['path', 'global-name']], { typeflag: 'g', name: 'pax_global_header' }),
      member({ name: 'one', typeflag: '0', mtime: 7 }),
      member({ name: 'two', typeflag: '0', mtime: 7 }),
      Buffer.alloc(1024),
    ]);
    expect(parse(tar).entries.map((e) => [e.header.name, e.header.uid, e.header.mtime])).toEqual([
      ['one', 0, 7],
      ['two', 0, 7],
    ]);
    const malformed = Buffer.concat([paxHeader([['mtime', 'yesterday']], { typeflag: 'g' }), member({ name: 'one', typeflag: '0' })]);
    expect(codeOf(() => parse(malformed))).toBe('INVALID_LAYER');
  });

  it('stops at the end-of-archive marker and ignores whatever follows', () => {
    const tar = Buffer.concat([buildTar(sample.slice(0, 2)), Buffer.from('trailing junk that is not a tar header'.repeat(20))]);
    const { entries, done } = parse(tar);
    expect(done).toBe(true);
    expect(entries).toHaveLength(2);
  });

  it('accepts a stream that ends at an entry boundary without the end-of-archive marker (as Go does)', () => {
    const tar = buildTar(sample.slice(0, 2));
    expect(parse(tar.subarray(0, tar.length - 1024)).entries).toHaveLength(2);
  });

  it('fails with TRUNCATED inside data, inside a header, or when a size runs past the end', () => {
    const tar = buildTar([{ type: 'file', path: 'f', content: 'x'.repeat(2000) }]);
    expect(codeOf(() => parse(tar.subarray(0, 1000)))).toBe('TRUNCATED');
    expect(codeOf(() => parse(tar.subarray(0, 300)))).toBe('TRUNCATED');
    const lying = buildTar([{ type: 'raw', header: { name: 'big', type: 'file', size: 1 << 20 }, body: Buffer.from('short') }]);
    expect(codeOf(() => parse(lying))).toBe('TRUNCATED');
  });

  it('fails with INVALID_LAYER on a bad checksum, a lone zero block and unknown entry types', () => {
    const tar = buildTar(sample.slice(0, 2));
    const corrupt = Buffer.from(tar);
    corrupt[10] = corrupt[10]! ^ 0x55;
    expect(codeOf(() => parse(corrupt))).toBe('INVALID_LAYER');
    expect(codeOf(() => parse(Buffer.from('definitely not a tar stream'.repeat(40))))).toBe('INVALID_LAYER');
    const loneZero = Buffer.concat([tar.subarray(0, 512), Buffer.alloc(512), tar.subarray(512)]);
    expect(codeOf(() => parse(loneZero))).toBe('INVALID_LAYER');
    for (const flag of ['V', 'D', 'M', 'N', 'A', 'X', '8', '\x01']) expect(codeOf(() => parse(rewriteField(tar, 156, flag))), flag).toBe('INVALID_LAYER');
  });

  it('fails with INVALID_LAYER on a mode, mtime or device field that is not a number, instead of reading 0 or "now"', () => {
    const file = buildTar([{ type: 'file', path: 'f', content: 'x' }]);
    const device = buildTar([{ type: 'char', path: 'c', major: 1, minor: 3 }]);
    expect(codeOf(() => parse(file))).toBeUndefined();
    expect(codeOf(() => parse(device))).toBeUndefined();
    expect(codeOf(() => parse(rewriteField(file, 100, '0000x44\0')))).toBe('INVALID_LAYER'); // mode
    expect(codeOf(() => parse(rewriteField(file, 136, '1234567890z\0')))).toBe('INVALID_LAYER'); // mtime
    expect(codeOf(() => parse(rewriteField(device, 329, '00000-1\0')))).toBe('INVALID_LAYER'); // devmajor
    expect(codeOf(() => parse(rewriteField(device, 337, '0000?03\0')))).toBe('INVALID_LAYER'); // devminor
  });

  it('fails with INVALID_LAYER on PAX times and device numbers out of range', () => {
    const raw = (type: 'file' | 'character-device', pax: Record<string, string>): Buffer => buildTar([{ type: 'raw', header: { name: 'x', type, pax } }]);
    expect(parse(raw('file', { mtime: '-86400.5' })).entries[0]!.header.mtime).toBe(-86400.5);
    expect(codeOf(() => parse(raw('file', { mtime: '1e20' })))).toBe('INVALID_LAYER');
    expect(codeOf(() => parse(raw('file', { mtime: 'NaN' })))).toBe('INVALID_LAYER');
    expect(codeOf(() => parse(raw('character-device', { 'SCHILY.devmajor': '-5' })))).toBe('INVALID_LAYER');
    expect(codeOf(() => parse(raw('character-device', { 'SCHILY.devminor': '1e30' })))).toBe('INVALID_LAYER');
    expect(codeOf(() => parse(raw('character-device', { 'SCHILY.devminor': '1.5' })))).toBe('INVALID_LAYER');
  });
});
