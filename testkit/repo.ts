// Where the checkout is, found the same way from the sources (vitest) and from
// the workshop build (dist-dev/): the nearest directory up with this project's
// package.json. The product itself is always run from its own build, dist/.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'erofs-builder') return dir;
    if (dirname(dir) === dir) throw new Error(`no erofs-builder package.json above ${start}`);
  }
}

export const REPO_ROOT = findRepoRoot(import.meta.dirname);
/** The product build (`npm run build`): what ships, and what tests, the demo and benchmarks run. */
export const PRODUCT_DIST = join(REPO_ROOT, 'dist');
export const AGENT_CLI = join(PRODUCT_DIST, 'agent', 'cli.js');
export const HOST_CLI = join(PRODUCT_DIST, 'host', 'cli.js');
