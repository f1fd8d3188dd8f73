// What the host orchestrator costs on top of the conversion itself, on the
// cached realistic Debian image (scripts/cache-debian-minbase.sh), pushed to a
// fresh local registry. Baselines measured in the same run:
//   fast path (convertAndRegister)  vs  the agent's conversion alone (AgentClient.convert):
//     the host's share is dial + validate + verified copy into the store;  target <= 1.25x
//   fallback (agent down, 1 dial attempt)  vs  convertLocally (the host path alone):
//     the cost of trying the fast path first and failing;                  target <= 1.10x
// Also reported: the no-op for a ready pinned digest and for a resolved tag.
// Usage: node dist-dev/scripts/bench-orchestrate.js [--runs N] [--check]   (root; a fresh store per run)
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AgentClient } from '../host/client.js';
import { convertAndRegister, convertLocally, type ConversionOptions } from '../host/orchestrate.js';
import { openStore } from '../host/store.js';
import { startRegistry } from '../testkit/registry/start.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, check: { type: 'boolean', default: false } } });
const runs = Math.max(1, Number(values.runs));
const cache = process.env.EROFS_BUILDER_CACHE ?? '/var/cache/erofs-builder';
const root = join(import.meta.dirname, '..', '..');
execFileSync('bash', [join(root, 'scripts', 'cache-debian-minbase.sh')], { stdio: 'inherit' });

const scratch = mkdtempSync('/var/tmp/bench-orchestrate-');
const registry = await startRegistry();
const agentOut = join(scratch, 'volume');
mkdirSync(agentOut);
const socket = join(scratch, 'agent.sock');
const agent = spawn(process.execPath, [join(root, 'dist/agent/cli.js'), 'serve', '--listen', `unix:${socket}`, '--output-dir', agentOut, '--work-dir', scratch], {
  stdio: ['ignore', 'inherit', 'pipe'],
});
const agentExited = once(agent, 'exit');

async function agentListening(): Promise<void> {
  for await (const line of createInterface({ input: agent.stderr })) {
    if (/listening on unix:/.test(line)) return;
  }
  throw new Error('the agent exited before listening');
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}

async function timed(label: string, body: (run: number) => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    await body(run);
    times.push((performance.now() - started) / 1000);
  }
  const result = median(times);
  console.log(`${label.padEnd(52)} ${result.toFixed(3)} s  (median of ${runs}: ${times.map((t) => t.toFixed(3)).join(', ')})`);
  return result;
}

let stores = 0;
async function freshStore(): Promise<ConversionOptions['store']> {
  return openStore(join(scratch, `store-${stores++}`));
}

try {
  await agentListening();
  agent.stderr.resume();
  const reference = `${registry.address}/bench/debian:latest`;
  execFileSync('skopeo', ['copy', '--quiet', '--dest-tls-verify=false', `oci:${join(cache, 'realistic-oci')}:latest`, `docker://${reference}`]);
  const common = { reference, registry: { insecure: true } };
  const fastOptions = { ...common, agent: `unix:${socket}`, volume: agentOut, fallback: 'none' as const };

  const agentAlone = await timed('agent conversion alone (client.convert)', async () => {
    const client = await AgentClient.connect(`unix:${socket}`);
    try {
      await client.convert({ image_ref: reference, registry: { insecure: true } });
    } finally {
      client.close();
    }
  });
  const fast = await timed('fast path (convertAndRegister)', async () => convertAndRegister({ ...fastOptions, store: await freshStore() }));
  const local = await timed('host path alone (convertLocally)', async () => convertLocally({ ...common, store: await freshStore() }));
  const fallback = await timed('fallback, agent down (1 dial attempt)', async () =>
    convertAndRegister({ ...fastOptions, agent: `unix:${join(scratch, 'nobody.sock')}`, fallback: 'host', connect: { attempts: 1 }, store: await freshStore() }),
  );
  const ready = await freshStore();
  const done = await convertLocally({ ...common, store: ready });
  await timed('no-op: ready pinned digest', async () => convertAndRegister({ ...fastOptions, reference: `${registry.address}/bench/debian@${done.entry.manifestDigest}`, store: ready }));
  await timed('no-op: ready tag with resolveFirst', async () => convertAndRegister({ ...fastOptions, resolveFirst: true, store: ready }));

  const ratios = [
    { what: 'fast path / agent alone', value: fast / agentAlone, target: 1.25 },
    { what: 'fallback / host path alone', value: fallback / local, target: 1.1 },
  ];
  for (const ratio of ratios) console.log(`${ratio.what.padEnd(52)} ${ratio.value.toFixed(2)}x  (target <= ${ratio.target}x)`);
  console.log(`disk: ${(done.entry.sizeBytes / 1024 ** 2).toFixed(1)} MiB`);
  if (values.check && ratios.some((ratio) => ratio.value > ratio.target)) process.exitCode = 1;
} finally {
  agent.kill('SIGTERM');
  await agentExited;
  await registry.stop();
  rmSync(scratch, { recursive: true, force: true });
}
