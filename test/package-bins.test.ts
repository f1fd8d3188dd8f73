// The package's two bins as package.json declares them (built to dist/):
// --help, --version, subcommand help, and unknown commands.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; bin: Record<string, string> };

function run(bin: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(ROOT, pkg.bin[bin]!), ...args], { encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('package bins', () => {
  it('are builder-agent and builder-host, each a node script', () => {
    expect(Object.keys(pkg.bin).sort()).toEqual(['builder-agent', 'builder-host']);
    for (const file of Object.values(pkg.bin)) expect(readFileSync(join(ROOT, file), 'utf8').startsWith('#!/usr/bin/env node\n'), file).toBe(true);
  });

  for (const bin of ['builder-agent', 'builder-host']) {
    it(`${bin} --help prints its usage and exits 0; --version prints the package version`, () => {
      const help = run(bin, '--help');
      expect(help.status).toBe(0);
      expect(help.stdout.startsWith(`${bin} ${pkg.version}: `)).toBe(true);
      expect(help.stdout).toContain('Usage:');
      expect(help.stdout).toContain(`${bin} --help | --version`);
      expect(run(bin, '--version')).toMatchObject({ status: 0, stdout: `${pkg.version}\n` });
    });

    it(`${bin} refuses an unknown command with exit 2`, () => {
      const unknown = run(bin, 'frobnicate');
      expect(unknown.status).toBe(2);
      expect(unknown.stderr).toContain('frobnicate');
    });
  }

  it.each([
    ['builder-agent', 'serve'],
    ['builder-agent', 'convert'],
    ['builder-agent', 'inspect'],
    ['builder-host', 'convert'],
    ['builder-host', 'convert-local'],
    ['builder-host', 'register'],
    ['builder-host', 'images'],
  ])('%s %s --help prints that command\'s usage and exits 0', (bin, command) => {
    const help = run(bin, command, '--help');
    expect(help).toMatchObject({ status: 0, stderr: '' });
    expect(help.stdout.startsWith(`Usage: ${bin} ${command} `)).toBe(true);
  });
});
