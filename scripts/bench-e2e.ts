// End-to-end benchmark: for each image of the set (scripts/e2e/images.ts),
// pushed to a local docker-registry, the conversion paths measured in the same
// run, interleaved (the order rotates every round), after one warm-up round:
//   agent      builder-host convert -> builder-agent serve on a Unix socket -> disk registered
//              (a fresh agent per run, started before the clock, as at a builder VM's boot;
//              --warm-agent: one agent for all runs)
//   local      builder-host convert-local (the same engine on the host) -> disk registered
//   incumbent  skopeo copy + umoci unpack + mkfs.erofs -zlz4 (Debian 12's 1.5) + pad (scripts/e2e/incumbent.ts)
//   physical   the floor: the layers inflated to /dev/null + mkfs.erofs of the final tree with
//              the agent's erofs-utils and options
//   oci, per-layer, per-layer-lz4   the peers on erofs-utils 1.9 (scripts/e2e/peers.ts)
// with time per phase, CPU, peak RSS per process, peak tmpfs and disk use, the
// output size and the differences of the disk's tree from the reference tree
// (scripts/e2e/reference.ts; checked in the first round, every round with
// --check all). A peer that fails is shown failing. Prints a Markdown table,
// writes JSON (--json FILE), and with --update-docs puts the table into
// docs/benchmark.md. The agent and local paths use the 1.9 build of erofs-utils
// (scripts/setup-erofs-utils.sh) unless --erofs-utils system.
// Usage: npm run bench:e2e -- [--runs N] [--quick] [--images debian,many-files,debian-zstd]
//        [--paths agent,local,incumbent,oci,per-layer,per-layer-lz4] [--erofs-utils build|system]
//        [--check first|all] [--warm-agent] [--json FILE] [--update-docs] [--cpu-prof DIR]
// Needs root (tmpfs mounts; umoci keeps owners only as root).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startRegistry } from '../testkit/registry/start.js';
import { cachedImage, IMAGE_NAMES, pushLayout, type CachedImage, type ImageName } from './e2e/images.js';
import { probeErofsUtils } from '../agent/disk/probe.js';
import type { TreeSnapshot } from '../testkit/verify/index.js';
import { CONTENDERS, contenders, PEERS, type ContenderContext, type ContenderName, type FloorMkfs, type WorkDirs } from './e2e/contenders.js';
import { AgentSupply } from './e2e/ours.js';
import { checkDisk, referenceTree, type TreeCheck } from './e2e/reference.js';
import { describeMachine, machineLine, markdownTable, summarize, type ImageReport, type PathName, type PathRun } from './e2e/report.js';
import { Teardown } from './e2e/teardown.js';
import { readLayout } from './oci-layout.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string' },
    quick: { type: 'boolean', default: false },
    images: { type: 'string', default: IMAGE_NAMES.join(',') },
    paths: { type: 'string', default: CONTENDERS.join(',') },
    'erofs-utils': { type: 'string', default: 'build' },
    check: { type: 'string', default: 'first' },
    json: { type: 'string', default: 'bench-e2e.json' },
    'update-docs': { type: 'boolean', default: false },
    'cpu-prof': { type: 'string' },
    'warm-agent': { type: 'boolean', default: false },
  },
});
const runs = Math.max(1, Number(values.runs ?? (values.quick ? 1 : 5)));
const warmups = values.quick ? 0 : 1;
const imageNames = values.images.split(',').map((name) => {
  if (!(IMAGE_NAMES as readonly string[]).includes(name)) throw new Error(`unknown image ${name} (have: ${IMAGE_NAMES.join(', ')})`);
  return name as ImageName;
});
const pathNames = values.paths.split(',').map((name) => {
  if (!(CONTENDERS as readonly string[]).includes(name)) throw new Error(`unknown path ${name} (have: ${CONTENDERS.join(', ')})`);
  return name as ContenderName;
});
if (!['build', 'system'].includes(values['erofs-utils'])) throw new Error('--erofs-utils is build (the 1.9 build) or system');
if (!['first', 'all'].includes(values.check)) throw new Error('--check is first (the first round of each path) or all');
if (process.getuid?.() !== 0) throw new Error('bench:e2e needs root (tmpfs mounts, umoci unpack keeping owners)');

const log = (line: string): void => void process.stderr.write(`${line}\n`);
const teardown = new Teardown(log);
teardown.onSignals();

async function main(): Promise<void> {
  const build = erofsUtilsBuild();
  const oursMkfs = values['erofs-utils'] === 'build' ? build.mkfs : 'mkfs.erofs';
  const machine = await describeMachine(oursMkfs);
  const images: CachedImage[] = [];
  for (const name of imageNames) images.push(await cachedImage(name, log));

  const scratch = mkdtempSync('/var/tmp/bench-e2e-');
  teardown.removeDir(scratch);
  const dirs: WorkDirs = {
    volume: join(scratch, 'agent-volume'),
    agentWork: join(scratch, 'agent-work'),
    localWork: join(scratch, 'local-work'),
    incumbentWork: join(scratch, 'incumbent-work'),
    incumbentOut: join(scratch, 'incumbent-out'),
    stores: join(scratch, 'stores'),
  };
  for (const dir of Object.values(dirs) as string[]) mkdirSync(dir);
  // The incumbent and the peers get a tmpfs too, as our engine does: no path pays for a disk another does not.
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${Math.floor(totalmem() / 2)},mode=0700`, 'bench-incumbent', dirs.incumbentWork]);
  teardown.unmount(dirs.incumbentWork);

  const registry = await startRegistry();
  teardown.add('stop the registry', () => registry.stop());
  const profileDir = values['cpu-prof'] === undefined ? undefined : resolve(values['cpu-prof']);
  const oursEnv = values['erofs-utils'] === 'build' ? { ...process.env, PATH: `${build.bin}:${process.env.PATH ?? ''}` } : process.env;
  const agents = new AgentSupply({
    socket: join(scratch, 'agent.sock'),
    volume: dirs.volume,
    workDir: dirs.agentWork,
    env: oursEnv,
    ...(profileDir !== undefined && { nodeArgs: ['--cpu-prof', '--cpu-prof-dir', profileDir] }),
  }, values['warm-agent']);
  teardown.add('stop the agent', () => agents.stop());
  const setup: BenchSetup = { agents, dirs, oursEnv, floor: await floorMkfs(oursMkfs), peers: { mkfs: build.mkfs, workers: availableParallelism() } };

  const reports: ImageReport[] = [];
  for (const image of images) {
    log(`${image.name}: pushing ${image.layout}`);
    const reference = await pushLayout(image, registry.address, `bench/${image.name}`);
    log(`${image.name}: the reference tree (umoci unpack)`);
    const expected = await referenceTree(reference, dirs.incumbentWork);
    reports.push(await benchImage(image, reference, expected, setup));
  }

  const table = markdownTable(reports, runs);
  const machineText = `Machine: ${machineLine(machine)}.`;
  const text = `${machineText}\n\n${table}\n\n${goalLines(reports).join('\n')}`;
  process.stdout.write(`\n${text}\n`);
  writeFileSync(values.json, JSON.stringify({ machine, runs, warmups, images: reports }, null, 2));
  log(`\nJSON: ${resolve(values.json)}`);
  if (values['update-docs']) updateDocs(text);
  if (profileDir !== undefined) log(`agent CPU profiles: ${profileDir} (one per agent, written when it exits)`);
}

type BenchSetup = Omit<ContenderContext, 'reference' | 'layout' | 'record'>;

/** The cached erofs-utils 1.9 build (built first if needed: scripts/setup-erofs-utils.sh). */
function erofsUtilsBuild(): { bin: string; mkfs: string } {
  const script = join(import.meta.dirname, '..', '..', 'scripts', 'setup-erofs-utils.sh');
  const bin = execFileSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  return { bin, mkfs: join(bin, 'mkfs.erofs') };
}

/** The floor's mkfs: the agent's tool with the options the engine gives it (4 KiB blocks, all CPUs). */
async function floorMkfs(command: string): Promise<FloorMkfs> {
  const info = await probeErofsUtils(command);
  const args = ['--quiet', '-zlz4', ...(info.blockSize ? ['-b4096'] : []), ...(info.workers ? [`--workers=${availableParallelism()}`] : [])];
  return { command: info.command, args };
}

async function benchImage(image: CachedImage, reference: string, expected: TreeSnapshot, setup: BenchSetup): Promise<ImageReport> {
  const layout = readLayout(image.layout, image.tag);
  const runsByPath: Partial<Record<PathName, PathRun[]>> = {};
  const checks: Partial<Record<PathName, TreeCheck>> = {};
  const failures: Partial<Record<PathName, string>> = {};
  const record = async (path: PathName, round: number, run: PathRun, disk: string | undefined): Promise<void> => {
    if (round >= warmups) (runsByPath[path] ??= []).push(run);
    if (disk === undefined || (values.check === 'first' && round > 0)) return;
    const check = await checkDisk(disk, expected);
    if (check.differences > (checks[path]?.differences ?? -1)) checks[path] = check;
    if (check.differences > 0) log(`${image.name}: ${path}: ${check.differences} differences from the reference tree, e.g.\n  ${check.sample.join('\n  ')}`);
  };
  const paths = contenders({ ...setup, reference, layout, record });
  let order = [...pathNames];
  for (let round = 0; round < warmups + runs; round++) {
    const rotated = [...order.slice(round % order.length), ...order.slice(0, round % order.length)];
    for (const path of rotated) {
      log(`${image.name}: ${round < warmups ? 'warm-up' : `run ${round - warmups + 1}/${runs}`}: ${path}`);
      try {
        await paths[path](round);
      } catch (err) {
        if (!PEERS.includes(path)) throw err;
        // The first line names the command; the tool's own words follow.
        const [command = '', ...said] = (err as Error).message.split('\n').filter(Boolean);
        failures[path] = said.length > 0 ? said.slice(-3).join(' ') : command;
        log(`${image.name}: ${path} failed, left out of the further rounds: ${failures[path]}`);
        order = order.filter((name) => name !== path);
        delete runsByPath[path];
      }
    }
  }
  const summaries = summarize(runsByPath);
  for (const [path, check] of Object.entries(checks) as Array<[PathName, TreeCheck]>) {
    const summary = summaries[path];
    if (summary) summary.check = check;
  }
  return {
    name: image.name,
    what: image.what,
    layers: layout.layers.length,
    compressedBytes: layout.layers.reduce((sum, layer) => sum + layer.size, 0),
    paths: summaries,
    failures,
  };
}

/** Where the agent path stands against the goals, per image: ratios of medians of this run. */
function goalLines(reports: ImageReport[]): string[] {
  return reports.flatMap((report) => {
    const agent = report.paths.agent;
    if (!agent) return [];
    const oci = report.paths.oci;
    const versusOci = oci ? `${(agent.medianMillis / oci.medianMillis).toFixed(2)} (goal < 1)` : report.failures.oci ? 'n/a (--oci fails on this image)' : 'not run';
    const rss = agent.peakRss['builder-agent'];
    return [
      `- ${report.name}: agent / mkfs.erofs --oci = ${versusOci}, agent / floor = ${agent.ratioToPhysical.toFixed(2)} (goal ≤ 1.3), ` +
        `agent / incumbent = ${agent.ratioToIncumbent.toFixed(2)}, agent peak RSS ${rss === undefined ? '-' : (rss / 2 ** 20).toFixed(0)} MiB (goal < 200)`,
    ];
  });
}

const DOCS_START = '<!-- bench:e2e:start -->';
const DOCS_END = '<!-- bench:e2e:end -->';

/** Puts `content` between the markers of docs/benchmark.md. */
function updateDocs(content: string): void {
  const path = join(import.meta.dirname, '..', '..', 'docs', 'benchmark.md');
  const text = readFileSync(path, 'utf8');
  const start = text.indexOf(DOCS_START);
  const end = text.indexOf(DOCS_END);
  if (start < 0 || end < start) throw new Error(`docs/benchmark.md has no ${DOCS_START} ... ${DOCS_END} block`);
  writeFileSync(path, `${text.slice(0, start + DOCS_START.length)}\n${content}\n${text.slice(end)}`);
  log('docs/benchmark.md: table updated');
}

try {
  await main();
} finally {
  await teardown.run();
}
