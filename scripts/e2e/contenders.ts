// One measured run of each conversion path of the E2E benchmark, with its
// scratch made and removed around it. Each run hands its measurement and the
// disk it made to `record` (which keeps the run and checks the disk's tree)
// before the disk is removed.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { LayoutImage } from '../oci-layout.js';
import { decompressToNull, incumbentPath } from './incumbent.js';
import { measure, type MeasuredRun } from './measure.js';
import { agentPath, localPath, type AgentSupply } from './ours.js';
import { ociPath, perLayerPath, type PeerTools } from './peers.js';
import { toPathRun, type PathName, type PathRun } from './report.js';

export const CONTENDERS = ['agent', 'local', 'incumbent', 'oci', 'per-layer', 'per-layer-lz4'] as const;
export type ContenderName = (typeof CONTENDERS)[number];
/** The peers: a failure of theirs is a result; a failure of ours or the incumbent's stops the benchmark. */
export const PEERS: readonly ContenderName[] = ['oci', 'per-layer', 'per-layer-lz4'];

export interface WorkDirs {
  volume: string;
  agentWork: string;
  localWork: string;
  /** A tmpfs: the incumbent's and the peers' scratch (our engine works on tmpfs too). */
  incumbentWork: string;
  incumbentOut: string;
  stores: string;
}

/** The mkfs.erofs the floor runs: the agent's erofs-utils with the agent's options. */
export interface FloorMkfs {
  command: string;
  args: string[];
}

export interface ContenderContext {
  reference: string;
  layout: LayoutImage;
  agents: AgentSupply;
  dirs: WorkDirs;
  /** The environment of the agent and the host CLI (PATH picks their erofs-utils). */
  oursEnv: NodeJS.ProcessEnv;
  floor: FloorMkfs;
  peers: PeerTools;
  record(path: PathName, round: number, run: PathRun, disk: string | undefined): Promise<void>;
}

export function contenders(ctx: ContenderContext): Record<ContenderName, (round: number) => Promise<void>> {
  const { dirs, reference } = ctx;
  let storeCount = 0;
  const freshStore = (): string => join(dirs.stores, `store-${storeCount++}`);
  const scratchRun = async (path: PathName, round: number, body: (run: MeasuredRun, work: string, disk: string) => Promise<{ sizeBytes: number }>): Promise<void> => {
    const work = mkdtempSync(join(dirs.incumbentWork, `${path}-`));
    const disk = join(dirs.incumbentOut, `${path}.erofs`);
    try {
      const m = await measure({ tmpfsUnder: [dirs.incumbentWork], diskDirs: [dirs.incumbentOut] }, (run) => body(run, work, disk));
      await ctx.record(path, round, toPathRun(m, m.value.sizeBytes), disk);
    } finally {
      rmSync(work, { recursive: true, force: true });
      rmSync(disk, { force: true });
    }
  };

  return {
    agent: async (round) => {
      const store = freshStore();
      const agent = await ctx.agents.forRun();
      try {
        const m = await measure({ fixed: [{ pid: agent.pid, label: 'builder-agent' }], tmpfsUnder: [dirs.agentWork], diskDirs: [dirs.volume, store] }, (run) =>
          agentPath(run, { reference, store, env: ctx.oursEnv }, { address: agent.address, volume: dirs.volume }),
        );
        await ctx.record('agent', round, toPathRun(m, m.value.image.sizeBytes), m.value.image.diskPath);
      } finally {
        rmSync(store, { recursive: true, force: true });
        for (const name of readdirSync(dirs.volume)) rmSync(join(dirs.volume, name), { recursive: true, force: true });
      }
    },
    local: async (round) => {
      const store = freshStore();
      try {
        const m = await measure({ tmpfsUnder: [dirs.localWork], diskDirs: [store] }, (run) => localPath(run, { reference, store, env: ctx.oursEnv }, dirs.localWork));
        await ctx.record('local', round, toPathRun(m, m.value.image.sizeBytes), m.value.image.diskPath);
      } finally {
        rmSync(store, { recursive: true, force: true });
      }
    },
    incumbent: (round) => incumbentAndFloor(ctx, round),
    oci: (round) => scratchRun('oci', round, (run, _work, disk) => ociPath(run, reference, disk, ctx.peers)),
    'per-layer': (round) => scratchRun('per-layer', round, (run, work, disk) => perLayerPath(run, reference, work, disk, ctx.peers, false)),
    'per-layer-lz4': (round) => scratchRun('per-layer-lz4', round, (run, work, disk) => perLayerPath(run, reference, work, disk, ctx.peers, true)),
  };
}

/**
 * The incumbent, then the floor on its tree: every layer inflated to /dev/null
 * plus the agent's mkfs.erofs of the final tree (the two least things any path
 * must do), each measured alone.
 */
async function incumbentAndFloor(ctx: ContenderContext, round: number): Promise<void> {
  const { dirs } = ctx;
  const work = mkdtempSync(join(dirs.incumbentWork, 'run-'));
  const disk = join(dirs.incumbentOut, 'rootfs.erofs');
  const floorDisk = join(dirs.incumbentOut, 'floor.erofs');
  try {
    const m = await measure({ tmpfsUnder: [dirs.incumbentWork], diskDirs: [dirs.incumbentOut] }, (run) => incumbentPath(run, ctx.reference, work, disk));
    await ctx.record('incumbent', round, toPathRun(m, m.value.sizeBytes), disk);
    const decompress = await measure({}, (run) => decompressToNull(run, ctx.layout));
    const mkfs = await measure({}, (run) => run.tool(ctx.floor.command, [...ctx.floor.args, floorDisk, m.value.rootfs], { stdout: 'ignore', label: 'mkfs.erofs' }));
    const floor = toPathRun(decompress, 0);
    await ctx.record(
      'physical',
      round,
      {
        ...floor,
        millis: decompress.millis + mkfs.millis,
        cpuMillis: decompress.cpuMillis + mkfs.cpuMillis,
        phases: { decompress: decompress.millis, mkfs: mkfs.millis },
        peakRss: { ...floor.peakRss, ...toPathRun(mkfs, 0).peakRss },
        outputBytes: statSync(floorDisk).size,
      },
      undefined,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
    rmSync(disk, { force: true });
    rmSync(floorDisk, { force: true });
  }
}
