// scripts/setup-system.sh: a no-op when everything is installed, and a clear
// message (no apt-get attempt) when something is missing and it is not root.
// The missing package is simulated with a PATH that lacks one command.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const SCRIPT = join(import.meta.dirname, '..', 'scripts', 'setup-system.sh');
const NOBODY = 65534;
const bin = mkdtempSync(join(tmpdir(), 'setup-system-path-'));
afterAll(() => rmSync(bin, { recursive: true, force: true }));

/** The commands the script checks for, from its REQUIRED table ("command:package"). */
function requiredCommands(): string[] {
  const table = /REQUIRED=\(([^)]*)\)/.exec(readFileSync(SCRIPT, 'utf8'))?.[1] ?? '';
  return [...table.matchAll(/"([^":]+):[^"]+"/g)].map((m) => m[1]!);
}

function runAsNobody(path: string): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '/usr/bin/bash', SCRIPT], { encoding: 'utf8', env: { PATH: path } });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('scripts/setup-system.sh', () => {
  it('is a no-op when every package is present, also when not root (this machine has them all)', () => {
    const first = runAsNobody('/usr/local/bin:/usr/bin:/bin');
    expect(first).toMatchObject({ status: 0, stdout: 'setup-system: all required packages present\n', stderr: '' });
    const again = spawnSync('bash', [SCRIPT], { encoding: 'utf8' });
    expect([again.status, again.stdout]).toEqual([0, 'setup-system: all required packages present\n']);
  });

  it('names what is missing and says to run as root, without trying to install, when not root', () => {
    const commands = requiredCommands();
    expect(commands).toContain('buildah');
    // Everything but buildah, plus what the script itself runs; /usr/sbin and /sbin the script adds itself.
    for (const command of [...commands.filter((c) => c !== 'buildah'), 'id']) {
      const found = ['/usr/bin', '/bin'].map((dir) => join(dir, command)).find((path) => existsSync(path));
      if (found !== undefined && !existsSync(join(bin, command))) symlinkSync(found, join(bin, command));
    }
    chmodSync(bin, 0o755);
    const run = runAsNobody(bin);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('setup-system: missing packages: buildah\nsetup-system: run as root (or: sudo apt-get install -y buildah)\n');
  });
});
