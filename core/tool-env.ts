// The environment external tools run in, and finding a tool on its PATH.
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';

/** sbin directories appended to PATH: a non-root login PATH often lacks them, and mkfs tools live there. */
const SBIN_DIRS = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

/** The agent's environment with sbin on PATH; keys of `extra` set to undefined are removed. */
export function toolEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const path = (process.env.PATH ?? '').split(':').filter(Boolean);
  for (const dir of SBIN_DIRS) if (!path.includes(dir)) path.push(dir);
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: path.join(':') };
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/** The executable `name` resolves to on `env`'s PATH (a name with a slash is taken as is); undefined when there is none. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = toolEnv()): string | undefined {
  if (name.includes('/')) return name;
  for (const dir of (env.PATH ?? '').split(':').filter(Boolean)) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}
