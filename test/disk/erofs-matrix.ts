// The erofs-utils releases the disk suites run against: the system's (Debian 12
// ships 1.5) and the 1.9 build scripts/setup-erofs-utils.sh caches (the newest:
// --tar, --workers, -T with --mkfs-time, --oci). The script is a no-op once the
// build is cached (scripts/test.sh runs it before the suites); should it fail,
// collecting the suite fails with its message.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { findOnPath } from '../../core/tool-env.js';

export interface ErofsTools {
  /** "system" or "1.9 build". */
  label: string;
  mkfs: string;
  fsck: string;
  dump: string;
}

const SETUP_SCRIPT = join(import.meta.dirname, '..', '..', 'scripts', 'setup-erofs-utils.sh');

function toolsIn(label: string, dir: string): ErofsTools {
  return { label, mkfs: join(dir, 'mkfs.erofs'), fsck: join(dir, 'fsck.erofs'), dump: join(dir, 'dump.erofs') };
}

/** The bin directory of the cached 1.9 build (built first if needed). */
export function erofsUtilsBuildDir(): string {
  return execFileSync('bash', [SETUP_SCRIPT], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

export function erofsToolMatrix(): ErofsTools[] {
  const system = findOnPath('mkfs.erofs');
  if (system === undefined) throw new Error('mkfs.erofs is not installed (scripts/setup-system.sh installs it)');
  return [toolsIn('system', dirname(system)), toolsIn('1.9 build', erofsUtilsBuildDir())];
}
