import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Phase } from '../proto/builder.js';
import type { BuilderError } from '../proto/errors.js';
import { AgentClient } from '../host/client.js';
import { AGENT_CLI, AGENT_WITH_TEST_CONVERTER, serveOnUnixSocket, spawnAgent, type AgentProcess } from './helpers/agent-process.js';
import { alive, bindVsock, freeVsockPort, tryBindVsock } from './helpers/vsock.js';

function socatPid(line: string): number {
  return Number(/\(pid (\d+)\)/.exec(line)?.[1]);
}

describe('builder-agent serve --listen vsock:PORT', () => {
  let dir: string;
  const agents: AgentProcess[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wire-vsock-'));
    await mkdir(join(dir, 'out'));
  });
  afterAll(async () => {
    for (const agent of agents) await agent.stop();
    await rm(dir, { recursive: true, force: true });
  });
  function serveVsock(port: number): AgentProcess {
    const agent = spawnAgent(AGENT_CLI, ['--listen', `vsock:${port}`, '--output-dir', join(dir, 'out'), '--verbose']);
    agents.push(agent);
    return agent;
  }

  it('binds the port, restarts socat when it dies, and frees the port on SIGTERM', async () => {
    const port = await freeVsockPort();
    const agent = serveVsock(port);
    await agent.waitForLine(new RegExp(`listening on vsock:${port}$`));
    const firstPid = socatPid(await agent.waitForLine(/socat \(pid \d+\) listening/));
    expect(alive(firstPid)).toBe(true);
    expect(await tryBindVsock(port)).toBe('in-use');

    process.kill(firstPid, 'SIGKILL');
    await agent.waitForLine(/exited with SIGKILL .*; restart #1 in \d+ ms/);
    const secondPid = socatPid(await agent.waitForLine(/socat restarted \(pid \d+\)/));
    expect(secondPid).not.toBe(firstPid);
    expect(alive(secondPid)).toBe(true);
    expect(await tryBindVsock(port)).toBe('in-use');

    expect(await agent.stop()).toBe(0);
    expect(alive(secondPid)).toBe(false);
    expect(await tryBindVsock(port)).toBe('bound');
  });

  it('takes socat with it when SIGKILLed: socat is gone, the next agent binds the port and removes the socket dir', async () => {
    const port = await freeVsockPort();
    const agent = serveVsock(port);
    const socat = socatPid(await agent.waitForLine(/socat \(pid \d+\) listening/));
    await agent.waitForLine(new RegExp(`listening on vsock:${port}$`));
    agent.child.kill('SIGKILL');
    expect(await agent.waitForExit()).toBe('SIGKILL');
    try {
      // The kernel delivers the parent-death signal as the agent exits; give the reaper a moment.
      for (let i = 0; i < 100 && alive(socat); i++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(alive(socat)).toBe(false);
    } finally {
      if (alive(socat)) process.kill(socat, 'SIGKILL'); // an orphan from a failed run must not keep the port
    }
    expect(await tryBindVsock(port)).toBe('bound');
    const socketDirs = async (): Promise<string[]> => (await readdir(tmpdir())).filter((name) => name.startsWith(`builder-agent-vsock-${agent.child.pid}-`));
    expect(await socketDirs()).toHaveLength(1);

    const next = serveVsock(port);
    await next.waitForLine(new RegExp(`listening on vsock:${port}$`));
    // The new agent removed the killed one's socket directory.
    expect(await socketDirs()).toEqual([]);
    expect(await next.stop()).toBe(0);
  });

  it('shuts down cleanly on a SIGTERM sent the moment it reports listening, every time', async () => {
    // The signal handlers used to be installed just after the "listening" line: a SIGTERM
    // in that gap killed the agent with the default action (about 1 run in 10 here).
    const port = await freeVsockPort();
    for (let round = 0; round < 5; round++) {
      const agent = serveVsock(port);
      await agent.waitForLine(new RegExp(`listening on vsock:${port}$`));
      agent.child.kill('SIGTERM');
      expect(await agent.waitForExit()).toBe(0);
      expect(await tryBindVsock(port)).toBe('bound');
    }
  });

  it('fails to start, exit 1, when the port is already taken', async () => {
    const port = await freeVsockPort();
    const { answer, holder } = await bindVsock(port);
    try {
      expect(answer).toBe('bound');
      const agent = serveVsock(port);
      expect(await agent.waitForExit()).toBe(1);
      expect(agent.lines.join('\n')).toMatch(new RegExp(`cannot listen on vsock port ${port}: .*Address already in use`));
    } finally {
      holder.kill('SIGKILL');
    }
  });
});

describe('builder-agent serve: SIGTERM during a conversion', () => {
  it('cancels the conversion, answers CANCELLED after its cleanup, leaves nothing and exits 0', async () => {
    const served = await serveOnUnixSocket(AGENT_WITH_TEST_CONVERTER);
    try {
      const client = await AgentClient.connect(`unix:${served.socket}`);
      let signalled = false;
      const err = await client
        .convert(
          { image_ref: 'tree?files=400&bytes=4096&delayMs=10', output_name: 'never.erofs' },
          {
            onProgress: (update) => {
              if (update.phase === Phase.APPLY && !signalled) {
                signalled = true;
                served.agent.child.kill('SIGTERM');
              }
            },
          },
        )
        .then(
          () => undefined,
          (e: BuilderError) => e,
        );
      expect(err?.code).toBe('CANCELLED');
      expect(err?.message).toMatch(/shutting down/);
      expect(await served.agent.waitForExit()).toBe(0);
      expect(served.agent.lines.join('\n')).toMatch(/saw abort: cancelled: the agent is shutting down/);
      expect(await readdir(served.outputDir)).toEqual([]);
      client.close();
    } finally {
      await served.close();
    }
  });
});
