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

  it('throws errno-style errors with code and path', () => {
    expect(() => fsextra.lgetxattr(join(dir, 'missing'), 'user.x')).toThrow(expect.objectContaining({ code: 'ENOENT', syscall: 'lgetxattr' }));
    expect(() => fsextra.mknod(join(dir, 'fifo'), 0o010644, 0, 0)).toThrow(expect.objectContaining({ code: 'EEXIST' }));
  });
});
