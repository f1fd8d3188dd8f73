import { readFileSync } from 'node:fs';

function findPackageVersion(): string {
  // Compiled code runs from dist/agent, sources from agent/: try both depths.
  for (const relative of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'erofs-builder' && pkg.version) return pkg.version;
    } catch {
      // not at this depth
    }
  }
  return '0.0.0';
}

export const PACKAGE_VERSION = findPackageVersion();
