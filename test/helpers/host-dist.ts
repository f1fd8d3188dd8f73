// The process-level tests run the built code (dist/), as the CLI does. A dist
// older than its sources would test stale code, so that fails loudly.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../', import.meta.url));

export function builtHostFile(relative: string): string {
  const path = `${repo}dist/host/${relative}`;
  if (!existsSync(path)) throw new Error(`${path} is missing: run npm run build first`);
  for (const dir of ['host', 'host/commands']) {
    for (const name of readdirSync(`${repo}${dir}`).filter((file) => file.endsWith('.ts'))) {
      const built = `${repo}dist/${dir}/${name.replace(/\.ts$/, '.js')}`;
      if (!existsSync(built) || statSync(built).mtimeMs < statSync(`${repo}${dir}/${name}`).mtimeMs) {
        throw new Error(`${built} is older than ${dir}/${name}: run npm run build first`);
      }
    }
  }
  return path;
}

export const REGISTER_CHILD = fileURLToPath(new URL('./host-register-child.mjs', import.meta.url));
