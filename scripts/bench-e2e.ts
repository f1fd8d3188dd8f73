// End-to-end benchmark: for each image of the set (scripts/e2e/images.ts),
// pushed to a local docker-registry, the conversion paths measured in the same
// run, interleaved (the order rotates every round), after one warm-up round:
//   agent      builder-host convert -> builder-agent serve on a Unix socket -> disk registered
//              (a fresh agent per run, started before the clock, as at a builder VM's boot;
//              --warm-agent: one agent for all runs)
//   local      builder-host convert-local (the same engine on the host) -> disk registered
//   incumbent  skopeo copy + umoci unpack + mkfs.erofs -zlz4 + pad (scripts/e2e/incumbent.ts)
//   physical   the layers inflated to /dev/null + the incumbent's mkfs.erofs of the final tree
// with time per phase, peak RSS per process, peak tmpfs and disk use and the
// output size. Prints a Markdown table, writes JSON (--json FILE), and with
// --update-readme puts the table into README.md's "Benchmark" section.
// Usage: npm run bench:e2e -- [--runs N] [--quick] [--images debian,many-files,debian-zstd]
//        [--paths agent,local,incumbent] [--warm-agent] [--json FILE] [--update-readme] [--cpu-prof DIR]
// Needs root (tmpfs mounts; umoci keeps owners only as root).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startRegistry } from '../testkit/registry/start.js';
import { cachedImage, IMAGE_NAMES, pushLayout, type CachedImage, type ImageName } from './e2e/images.js';
import { decompressToNull, incumbentPath } from './e2e/incumbent.js';
import { measure } from './e2e/measure.js';
import { AgentSupply, agentPath, localPath } from './e2e/ours.js';
import { describeMachine, machineLine, markdownTable, summarize, toPathRun, type ImageReport, type PathName, type PathRun } from './e2e/report.js';
import { Teardown } from './e2e/teardown.js';
import { readLayout } from './oci-layout.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string' },
    quick: { type: 'boolean', default: false },
    images: { type: 'string', default: IMAGE_NAMES.join(',') },
    paths: { type: 'string', default: 'agent,local,incumbent' },
    json: { type: 'string', default: 'bench-e2e.json' },
    'update-readme': { type: 'boolean', default: false },
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
if (process.getuid?.() !== 0) throw new Error('bench:e2e needs root (tmpfs mounts, umoci unpack keeping owners)');

const log = (line: string): void => void process.stderr.write(`${line}\n`);
const teardown = new Teardown(log);
teardown.onSignals();

async function main(): Promise<void> {
  const machine = await describeMachine();
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
  // The incumbent gets a tmpfs too, as our engine does: no path pays for a disk the other does not.
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${Math.floor(totalmem() / 2)},mode=0700`, 'bench-incumbent', dirs.incumbentWork]);
  teardown.unmount(dirs.incumbentWork);

  const registry = await startRegistry();
  teardown.add('stop the registry', () => registry.stop());
  const profileDir = values['cpu-prof'] === undefined ? undefined : resolve(values['cpu-prof']);
  const agents = new AgentSupply({
    socket: join(scratch, 'agent.sock'),
    volume: dirs.volume,
    workDir: dirs.agentWork,
    ...(profileDir !== undefined && { nodeArgs: ['--cpu-prof', '--cpu-prof-dir', profileDir] }),
  }, values['warm-agent']);
  teardown.add('stop the agent', () => agents.stop());

  const reports: ImageReport[] = [];
  for (const image of images) {
    log(`${image.name}: pushing ${image.layout}`);
    const reference = await pushLayout(image, registry.address, `bench/${image.name}`);
    reports.push(await benchImage(image, reference, agents, dirs));
  }

  const table = markdownTable(reports, runs);
  const machineText = `Machine: ${machineLine(machine)}.`;
  process.stdout.write(`\n${machineText}\n\n${table}\n\n${goalLines(reports).join('\n')}\n`);
  writeFileSync(values.json, JSON.stringify({ machine, runs, warmups, images: reports }, null, 2));
  log(`\nJSON: ${resolve(values.json)}`);
  if (values['update-readme']) updateReadme(`${machineText}\n\n${table}\n\n${goalLines(reports).join('\n')}`);
  if (profileDir !== undefined) log(`agent CPU profiles: ${profileDir} (one per agent, written when it exits)`);
}

interface WorkDirs {
  volume: string;
  agentWork: string;
  localWork: string;
  incumbentWork: string;
  incumbentOut: string;
  stores: string;
}

async function benchImage(image: CachedImage, reference: string, agents: AgentSupply, dirs: WorkDirs): Promise<ImageReport> {
  const layout = readLayout(image.layout, image.tag);
  const runsByPath: Partial<Record<PathName, PathRun[]>> = {};
  const keep = (path: PathName, run: PathRun, round: number): void => {
    if (round >= warmups) (runsByPath[path] ??= []).push(run);
  };
  let storeCount = 0;
  const freshStore = (): string => join(dirs.stores, `store-${storeCount++}`);

  const contenders: Record<'agent' | 'local' | 'incumbent', (round: number) => Promise<void>> = {
    agent: async (round) => {
      const store = freshStore();
      const agent = await agents.forRun();
      const m = await measure({ fixed: [{ pid: agent.pid, label: 'builder-agent' }], tmpfsUnder: [dirs.agentWork], diskDirs: [dirs.volume, store] }, (run) =>
        agentPath(run, { reference, store }, { address: agent.address, volume: dirs.volume }),
      );
      keep('agent', toPathRun(m, m.value.image.sizeBytes), round);
      rmSync(store, { recursive: true, force: true });
      for (const name of readdirSync(dirs.volume)) rmSync(join(dirs.volume, name), { recursive: true, force: true });
    },
    local: async (round) => {
      const store = freshStore();
      const m = await measure({ tmpfsUnder: [dirs.localWork], diskDirs: [store] }, (run) => localPath(run, { reference, store }, dirs.localWork));
      keep('local', toPathRun(m, m.value.image.sizeBytes), round);
      rmSync(store, { recursive: true, force: true });
    },
    incumbent: async (round) => {
      const work = mkdtempSync(join(dirs.incumbentWork, 'run-'));
      const disk = join(dirs.incumbentOut, 'rootfs.erofs');
      const m = await measure({ tmpfsUnder: [dirs.incumbentWork], diskDirs: [dirs.incumbentOut] }, (run) => incumbentPath(run, reference, work, disk));
      keep('incumbent', toPathRun(m, m.value.sizeBytes), round);
      const decompress = await measure({}, (run) => decompressToNull(run, layout));
      const mkfs = m.phases.mkfs ?? NaN;
      // CPU is not summed here: the mkfs part is the incumbent's, measured with its whole run.
      keep('physical', { ...toPathRun(decompress, m.value.sizeBytes), millis: decompress.millis + mkfs, cpuMillis: NaN, phases: { decompress: decompress.millis, mkfs } }, round);
      rmSync(work, { recursive: true, force: true });
      rmSync(disk, { force: true });
    },
  };
  const order = (Object.keys(contenders) as Array<keyof typeof contenders>).filter((path) => values.paths.split(',').includes(path));
  for (let round = 0; round < warmups + runs; round++) {
    const rotated = [...order.slice(round % order.length), ...order.slice(0, round % order.length)];
    for (const path of rotated) {
      log(`${image.name}: ${round < warmups ? 'warm-up' : `run ${round - warmups + 1}/${runs}`}: ${path}`);
      await contenders[path](round);
    }
  }
  return {
    name: image.name,
    what: image.what,
    layers: layout.layers.length,
    compressedBytes: layout.layers.reduce((sum, layer) => sum + layer.size, 0),
    paths: summarize(runsByPath),
  };
}

/** Where the agent path stands against the goals, per image. */
function goalLines(reports: ImageReport[]): string[] {
  return reports.flatMap((report) => {
    const agent = report.paths.agent;
    if (!agent) return [];
    return [
      `- ${report.name}: agent path / incumbent = ${agent.ratioToIncumbent.toFixed(2)} (goal ≤ 0.50), agent path / physical limit = ${agent.ratioToPhysical.toFixed(2)} (goal ≤ 1.5)`,
    ];
  });
}

const README_START = '<!-- bench:e2e:start -->';
const README_END = '<!-- bench:e2e:end -->';

function updateReadme(content: string): void {
  const path = join(import.meta.dirname, '..', '..', 'README.md');
  const text = readFileSync(path, 'utf8');
  const start = text.indexOf(README_START);
  const end = text.indexOf(README_END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${README_START} ... ${README_END} block`);
  writeFileSync(path, `${text.slice(0, start + README_START.length)}\n${content}\n${text.slice(end)}`);
  log('README.md: Benchmark section updated');
}

try {
  await main();
} finally {
  await teardown.run();
}
