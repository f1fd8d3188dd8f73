import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { spawnAgent, type AgentProcess } from '../../testkit/agent-spawn.js';

export { AGENT_CLI, spawnAgent, type AgentProcess } from '../../testkit/agent-spawn.js';

/** The agent's serve command with the test converter injected. */
export const AGENT_WITH_TEST_CONVERTER = fileURLToPath(new URL('./serve-with-test-converter.mjs', import.meta.url));

export interface ServedAgent {
  readonly agent: AgentProcess;
  readonly dir: string;
  readonly socket: string;
  readonly outputDir: string;
  close(): Promise<void>;
}

/** A temp dir with an output dir, and an agent serving on dir/agent.sock, up and listening. */
export async function serveOnUnixSocket(script: string, extraArgs: string[] = []): Promise<ServedAgent> {
  const dir = await mkdtemp(join(tmpdir(), 'wire-test-'));
  const socket = join(dir, 'agent.sock');
  const outputDir = join(dir, 'out');
  await import('node:fs/promises').then((fs) => fs.mkdir(outputDir));
  const agent = spawnAgent(script, ['--listen', `unix:${socket}`, '--output-dir', outputDir, '--work-dir', dir, ...extraArgs]);
  try {
    await agent.waitForLine(/listening on unix:/);
  } catch (err) {
    await agent.stop();
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    agent,
    dir,
    socket,
    outputDir,
    async close() {
      await agent.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Registers beforeAll/afterAll hooks serving an agent for the enclosing suite; call the getter inside tests. */
export function servedAgentFixture(script: string): () => ServedAgent {
  let served: ServedAgent | undefined;
  beforeAll(async () => {
    served = await serveOnUnixSocket(script);
  });
  afterAll(async () => {
    await served?.close();
  });
  return () => {
    if (served === undefined) throw new Error('the agent fixture is not up');
    return served;
  };
}
