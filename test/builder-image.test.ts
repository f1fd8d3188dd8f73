// Dockerfile.builder cannot be built here (no Docker engine); these checks keep it honest.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const dockerfile = readFileSync('Dockerfile.builder', 'utf8');

/** Sources of every COPY that reads from the build context (not --from=stage). */
function contextCopySources(text: string): string[] {
  const sources: string[] = [];
  for (const line of text.split('\n')) {
    const match = /^COPY\s+(?!--from=)(.+)$/.exec(line.trim());
    if (!match) continue;
    const words = match[1]!.split(/\s+/);
    sources.push(...words.slice(0, -1));
  }
  return sources;
}

describe('Dockerfile.builder', () => {
  it('copies only files that exist in the repository', () => {
    const sources = contextCopySources(dockerfile);
    expect(sources.length).toBeGreaterThan(5);
    const missing = sources.filter((source) => !existsSync(source));
    expect(missing).toEqual([]);
  });

  it('installs the agent tools on a glibc Debian base', () => {
    expect(dockerfile).toMatch(/^FROM debian:[a-z]+-slim$/m);
    for (const pkg of ['nodejs', 'erofs-utils', 'zstd', 'socat']) expect(dockerfile).toMatch(new RegExp(`install[^\\n]*\\b${pkg}\\b`));
  });

  it('ships executable boot scripts', () => {
    for (const script of ['scripts/builder-image/builder-agent.sh', 'scripts/builder-image/builder-agent-init']) {
      expect(statSync(script).mode & 0o111).not.toBe(0);
    }
  });
});
