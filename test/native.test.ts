import { lstatSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fsextra } from '../agent/native/fsextra.js';

const dir = mkdtempSync(join(tmpdir(), 'fsextra-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('native fsextra addon', () => {
  it('sets, lists and reads xattrs, including binary values', () => {
    const file = join(dir, 'f');
    writeFileSync(file, 'x');
    const value = Buffer.from([0, 1, 2, 255]);
    fsextra.lsetxattr(file, 'user.test', value);
    expect(fsextra.llistxattr(file)).toContain('user.test');
    expect(fsextra.lgetxattr(file, 'user.test').equals(value)).toBe(true);
  });

  it('works on a symlink itself, never its target', () => {
    const link = join(dir, 'dangling');
    symlinkSync('/nonexistent/target', link);
    expect(fsextra.llistxattr(link)).toEqual([]);
  });

  it('creates fifos and device nodes with the given numbers', () => {
    fsextra.mknod(join(dir, 'fifo'), 0o010644, 0, 0);
    expect(lstatSync(join(dir, 'fifo')).isFIFO()).toBe(true);
    if (process.getuid?.() === 0) {
      fsextra.mknod(join(dir, 'null'), 0o020666, 1, 3);
      const st = lstatSync(join(dir, 'null'));
      expect(st.isCharacterDevice()).toBe(true);
      expect(st.rdev).toBe((1 << 8) | 3);
    }
  });

  it('takes paths as raw bytes (names that are not UTF-8) and removes xattrs', () => {
    const name = Buffer.concat([Buffer.from(`${dir}/`), Buffer.from([0x63, 0x61, 0x66, 0xe9])]); // latin1 "café"
    writeFileSync(name, 'x');
    fsextra.lsetxattr(name, 'user.k', Buffer.from('v'));
    expect(fsextra.llistxattr(name)).toEqual(['user.k']);
    expect(fsextra.lgetxattr(name, Buffer.from('user.k')).toString()).toBe('v');
    fsextra.lremovexattr(name, 'user.k');
    expect(fsextra.llistxattr(name)).toEqual([]);
    const fifo = Buffer.concat([name, Buffer.from('-fifo')]);
    fsextra.mknod(fifo, 0o010600, 0, 0);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(() => fsextra.llistxattr(Buffer.from(`${dir}/nul\0inside`))).toThrow(TypeError);
  });

  it('throws errno-style errors with code and path', () => {
    expect(() => fsextra.lgetxattr(join(dir, 'missing'), 'user.x')).toThrow(expect.objectContaining({ code: 'ENOENT', syscall: 'lgetxattr' }));
    expect(() => fsextra.mknod(join(dir, 'fifo'), 0o010644, 0, 0)).toThrow(expect.objectContaining({ code: 'EEXIST' }));
  });
});
