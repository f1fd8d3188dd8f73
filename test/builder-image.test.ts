// Dockerfile.builder cannot be built here (no Docker engine); these checks keep it honest.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AGENT_CLI, spawnAgent } from './helpers/agent-process.js';
import { freeVsockPort } from './helpers/vsock.js';

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
    // util-linux: setpriv ties socat to the agent (agent/disk/parent-death.ts).
    for (const pkg of ['nodejs', 'erofs-utils', 'zstd', 'socat', 'util-linux']) expect(dockerfile).toMatch(new RegExp(`install[^\\n]*\\b${pkg}\\b`));
  });

  it('ships executable boot scripts', () => {
    for (const script of ['scripts/builder-image/builder-agent.sh', 'scripts/builder-image/builder-agent-init']) {
      expect(statSync(script).mode & 0o111).not.toBe(0);
    }
  });
});

/** The argv of the unit's ExecStart. */
function unitExecStart(): string[] {
  const unit = readFileSync('scripts/builder-image/builder-agent.service', 'utf8');
  const line = /^ExecStart=(.+)$/m.exec(unit);
  if (!line) throw new Error('the unit has no ExecStart');
  return line[1]!.trim().split(/\s+/);
}

describe('the boot service', () => {
  it('starts the binary the image installs, with the documented serve command', () => {
    const [binary, command, ...args] = unitExecStart();
    expect(dockerfile).toMatch(new RegExp(`^COPY \\S+ ${binary}$`, 'm'));
    expect(command).toBe('serve');
    expect(args).toEqual(['--listen', 'vsock:5001', '--output-dir', '/src', '--work-dir', '/run/erofs-builder']);
    const init = readFileSync('scripts/builder-image/builder-agent-init', 'utf8');
    expect(init).toMatch(/builder-agent serve --listen "vsock:\$port" --output-dir \/src --work-dir \/run\/erofs-builder/);
  });

  it('is a command line the real CLI accepts and serves on', async () => {
    const [, , ...args] = unitExecStart();
    const dir = await mkdtemp(join(tmpdir(), 'unit-'));
    const port = await freeVsockPort();
    // Same flags and values, only the paths and the port moved somewhere this test may use.
    const local = args.map((arg) => (arg === 'vsock:5001' ? `vsock:${port}` : arg.startsWith('/') ? join(dir, basename(arg)) : arg));
    await Promise.all(['src', 'erofs-builder'].map((name) => mkdir(join(dir, name))));
    const agent = spawnAgent(AGENT_CLI, local);
    try {
      await agent.waitForLine(new RegExp(`listening on vsock:${port}$`), 20_000);
    } finally {
      await agent.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
