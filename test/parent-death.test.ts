// Tools the agent runs die with it: a SIGKILLed agent (no handler runs) must not
// leave a mkfs.erofs writing into the work area. (A decoder child such as igzip
// needs no tie: its stdin and stdout are pipes to the agent, so it ends on EOF or
// SIGPIPE by itself; checked by hand, it does.)
// The agent here is a real node process running the built modules; the "tool"
// is a real process that would otherwise run for minutes.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const DIST = join(import.meta.dirname, '..', 'dist', 'agent');

/** Runs `script` (an ES module body) in a fresh node, waits for its line "ready", and returns it. */
async function startAgentLike(script: string): Promise<{ pid: number; exited: Promise<NodeJS.Signals | null> }> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('ready')) resolve();
    });
    child.once('exit', () => reject(new Error(`agent-like process exited early: ${out}`)));
  });
  return { pid: child.pid!, exited };
}

/** The pids of `pid`'s children (all threads), from /proc. */
function childrenOf(pid: number): number[] {
  const tasks = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8');
  return tasks.split(/\s+/).filter(Boolean).map(Number);
}

function commandOf(pid: number): string {
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '';
}

/** Alive and not a zombie waiting to be reaped. */
function running(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

async function expectGoneSoon(pid: number): Promise<void> {
  for (let i = 0; i < 100 && running(pid); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  try {
    expect(running(pid)).toBe(false);
  } finally {
    if (running(pid)) process.kill(pid, 'SIGKILL'); // a failed run must not leave it behind
  }
}

async function killAndCheck(script: string, tool: string): Promise<void> {
  const agent = await startAgentLike(script);
  let tools: number[] = [];
  try {
    for (let i = 0; i < 100 && tools.length === 0; i++) {
      tools = childrenOf(agent.pid).filter((pid) => commandOf(pid).endsWith(tool));
      if (tools.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(tools, `${tool} started as the agent's child (the pid setpriv exec'd into)`).toHaveLength(1);
  } finally {
    process.kill(agent.pid, 'SIGKILL');
  }
  expect(await agent.exited).toBe('SIGKILL');
  await expectGoneSoon(tools[0]!);
}

describe('tools die with the agent', () => {
  it('a tool run by runTool (mkfs.erofs, fsck.erofs, mkfs.ext4, debugfs) is killed when the agent is SIGKILLed', async () => {
    await killAndCheck(
      `import { runTool } from '${DIST}/disk/run.js';
       runTool('sleep', ['300']);
       setTimeout(() => console.log('ready'), 100);`,
      'sleep',
    );
  });

  it('a tool that is not installed still fails to start with ENOENT, not with an exit status of setpriv', async () => {
    const { runTool } = await import('../agent/disk/run.js');
    await expect(runTool('erofs-builder-no-such-tool', ['-V'])).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
