import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkOutputName } from '../core/output-name.js';
import { resolveOutputPath } from '../agent/server/output-name.js';
import { BuilderError } from '../proto/errors.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof BuilderError ? err.code : `not a BuilderError: ${String(err)}`;
  }
  return undefined;
}

describe('checkOutputName', () => {
  it.each([
    ['disk.erofs'],
    ['images/app/rootfs.erofs'],
    ['a.b-c_d/e..f'],
  ])('accepts %s', (name) => {
    expect(checkOutputName(name)).toEqual(name.split('/'));
  });

  it.each([
    ['/etc/passwd', 'PATH_REJECTED'],
    ['..', 'PATH_REJECTED'],
    ['a/../../x', 'PATH_REJECTED'],
    ['a/..', 'PATH_REJECTED'],
    ['', 'INVALID_ARGUMENT'],
    ['a//b', 'INVALID_ARGUMENT'],
    ['a/', 'INVALID_ARGUMENT'],
    ['./a', 'INVALID_ARGUMENT'],
    ['-rf', 'INVALID_ARGUMENT'],
    ['a/--output', 'INVALID_ARGUMENT'],
    ['a\u0000b', 'INVALID_ARGUMENT'],
    ['a\nb', 'INVALID_ARGUMENT'],
    ['a\\b', 'INVALID_ARGUMENT'],
    ['x'.repeat(256), 'INVALID_ARGUMENT'],
    [`${'d/'.repeat(600)}x`, 'INVALID_ARGUMENT'],
    ['a\u0085b', 'INVALID_ARGUMENT'],
    ['a\ufffdb', 'INVALID_ARGUMENT'],
    ['a\ud800b', 'INVALID_ARGUMENT'],
  ])('rejects %j with %s', (name, code) => {
    expect(codeOf(() => checkOutputName(name))).toBe(code);
  });
});

describe('resolveOutputPath', () => {
  let out: string;
  let outside: string;

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'wire-out-'));
    outside = await mkdtemp(join(tmpdir(), 'wire-outside-'));
    await mkdir(join(out, 'real'));
    await writeFile(join(out, 'real/existing.erofs'), 'x');
    await symlink(outside, join(out, 'link'));
    await symlink(join(outside, 'target'), join(out, 'file-link'));
    await writeFile(join(out, 'plain'), 'x');
    await mkdir(join(out, 'dir.erofs'));
  });
  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  it('resolves new and replaceable names inside the output dir', async () => {
    expect(await resolveOutputPath(out, 'new.erofs')).toBe(join(out, 'new.erofs'));
    expect(await resolveOutputPath(out, 'real/existing.erofs')).toBe(join(out, 'real/existing.erofs'));
    expect(await resolveOutputPath(out, 'missing/parent/x.erofs')).toBe(join(out, 'missing/parent/x.erofs'));
  });

  it.each([
    ['link/x.erofs', 'a symlinked parent'],
    ['file-link', 'a symlink as the file'],
    ['plain/x.erofs', 'a file as a parent'],
    ['dir.erofs', 'a directory as the file'],
  ])('rejects %s (%s) with PATH_REJECTED', async (name) => {
    await expect(resolveOutputPath(out, name)).rejects.toMatchObject({ code: 'PATH_REJECTED' });
  });
});
