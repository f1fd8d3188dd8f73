// Summaries of the E2E benchmark's runs: medians and spread per path, ratios
// against the incumbent and the physical limit measured in the same run, the
// machine it ran on, and the Markdown table (stdout, README) and JSON file.
import { cpus, loadavg, release, totalmem } from 'node:os';
import { probeErofsUtils } from '../../agent/disk/probe.js';
import type { RunMeasurement } from './measure.js';
import type { TreeCheck } from './reference.js';

export const PATHS = ['agent', 'local', 'incumbent', 'physical', 'oci', 'per-layer', 'per-layer-lz4'] as const;
export type PathName = (typeof PATHS)[number];

export const PATH_TITLES: Record<PathName, string> = {
  agent: '`builder-host convert` → `builder-agent serve` on a Unix socket → disk registered',
  local: '`builder-host convert-local` → disk registered',
  incumbent: '`skopeo copy` + `umoci unpack` + `mkfs.erofs -zlz4` + pad to 4096',
  physical: "the floor: layers inflated to /dev/null + `mkfs.erofs -zlz4` of the final tree with the agent's erofs-utils and options",
  oci: 'erofs-utils 1.9 `mkfs.erofs --oci=f -zlz4` from the registry (pull, gunzip, tar, build in one C process) + pad',
  'per-layer': '`skopeo copy` + per layer `mkfs.erofs --tar=f --aufs` + merge `--aufs --ovlfs-strip=1 --clean=data` (1.9, uncompressed) + pad',
  'per-layer-lz4': 'the per-layer route with `-zlz4` on the layers and the merge',
};

/** What one run costs besides time (a summary: the highest over its runs). */
export interface PathCosts {
  /** Peak RSS per process name (the highest of processes sharing a name). */
  peakRss: Record<string, number>;
  peakTreeRss: number;
  peakTmpfs: number;
  peakDisk: number;
  outputBytes: number;
}

export interface PathRun extends PathCosts {
  millis: number;
  cpuMillis: number;
  phases: Record<string, number>;
}

export interface PathSummary extends PathCosts {
  runs: PathRun[];
  medianMillis: number;
  medianCpuMillis: number;
  minMillis: number;
  maxMillis: number;
  medianPhases: Record<string, number>;
  /** This path's median over the incumbent's median. */
  ratioToIncumbent: number;
  /** This path's median over the physical limit's median. */
  ratioToPhysical: number;
  /** The check with the most differences among the checked runs (set by the caller); undefined when none was checked. */
  check?: TreeCheck;
}

export interface ImageReport {
  name: string;
  what: string;
  layers: number;
  compressedBytes: number;
  paths: Partial<Record<PathName, PathSummary>>;
  /** Paths that failed on this image, with the first line of their error: no time for them. */
  failures: Partial<Record<PathName, string>>;
}

export interface Machine {
  cpus: number;
  cpuModel: string;
  ramBytes: number;
  kernel: string;
  /** The erofs-utils of the agent, the local path and the floor. */
  erofsUtils: string;
  /** The incumbent's (the system's). */
  incumbentErofsUtils: string;
  node: string;
  date: string;
  loadAverage: number[];
}

export async function describeMachine(oursMkfs: string): Promise<Machine> {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    ramBytes: totalmem(),
    kernel: release(),
    erofsUtils: (await probeErofsUtils(oursMkfs)).version,
    incumbentErofsUtils: (await probeErofsUtils()).version,
    node: process.version,
    date: new Date().toISOString(),
    loadAverage: loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

export function toPathRun(measurement: RunMeasurement<unknown>, outputBytes: number): PathRun {
  const peakRss: Record<string, number> = {};
  for (const process of measurement.peaks.processes) peakRss[process.name] = Math.max(peakRss[process.name] ?? 0, process.peakRssBytes);
  return {
    millis: measurement.millis,
    cpuMillis: measurement.cpuMillis,
    phases: measurement.phases,
    peakRss,
    peakTreeRss: measurement.peaks.peakTreeRssBytes,
    peakTmpfs: measurement.peaks.peakTmpfsBytes,
    peakDisk: measurement.peaks.peakDiskBytes,
    outputBytes,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Medians, spread and the highest peaks over the runs of each path, and the ratios between paths. */
export function summarize(runs: Partial<Record<PathName, PathRun[]>>): Partial<Record<PathName, PathSummary>> {
  const summaries: Partial<Record<PathName, PathSummary>> = {};
  for (const path of PATHS) {
    const list = runs[path];
    if (!list || list.length === 0) continue;
    const phaseNames = [...new Set(list.flatMap((run) => Object.keys(run.phases)))];
    const peakRss: Record<string, number> = {};
    for (const run of list) for (const [name, bytes] of Object.entries(run.peakRss)) peakRss[name] = Math.max(peakRss[name] ?? 0, bytes);
    summaries[path] = {
      runs: list,
      medianMillis: median(list.map((run) => run.millis)),
      medianCpuMillis: median(list.map((run) => run.cpuMillis)),
      minMillis: Math.min(...list.map((run) => run.millis)),
      maxMillis: Math.max(...list.map((run) => run.millis)),
      medianPhases: Object.fromEntries(phaseNames.map((name) => [name, median(list.map((run) => run.phases[name] ?? 0))])),
      peakRss,
      peakTreeRss: Math.max(...list.map((run) => run.peakTreeRss)),
      peakTmpfs: Math.max(...list.map((run) => run.peakTmpfs)),
      peakDisk: Math.max(...list.map((run) => run.peakDisk)),
      outputBytes: list[list.length - 1]!.outputBytes,
      ratioToIncumbent: NaN,
      ratioToPhysical: NaN,
    };
  }
  for (const summary of Object.values(summaries)) {
    summary.ratioToIncumbent = summary.medianMillis / (summaries.incumbent?.medianMillis ?? NaN);
    summary.ratioToPhysical = summary.medianMillis / (summaries.physical?.medianMillis ?? NaN);
  }
  return summaries;
}

const MiB = 1024 * 1024;
const seconds = (ms: number): string => (Number.isFinite(ms) ? (ms / 1000).toFixed(2) : '-');
const mib = (bytes: number): string => (bytes === 0 ? '-' : (bytes / MiB).toFixed(0));
const ratio = (x: number): string => (Number.isFinite(x) ? `${x.toFixed(2)}x` : '-');

export function machineLine(machine: Machine): string {
  return (
    `${machine.cpus} × ${machine.cpuModel}, ${(machine.ramBytes / 2 ** 30).toFixed(0)} GiB RAM, kernel ${machine.kernel}, ` +
    `erofs-utils ${machine.erofsUtils} (agent, local, floor; the incumbent's ${machine.incumbentErofsUtils}), Node ${machine.node}, ${machine.date.slice(0, 10)}, load average at start ${machine.loadAverage.join(' ')}`
  );
}

/** The Markdown table: one row per image and path. */
export function markdownTable(images: ImageReport[], runs: number): string {
  const lines = [
    `Median of ${runs} runs after one warm-up (min–max in brackets); ratios are medians over the incumbent's and the physical limit's medians of the same run; CPU is user + system time of the path's processes (not the registry's).`,
    '',
    '| image | path | seconds | vs incumbent | vs physical | CPU s | tree vs reference | phases (median s) | peak RSS MiB (per process; all) | peak tmpfs MiB | peak disk MiB | output MiB |',
    '| --- | --- | ---: | ---: | ---: | ---: | --- | --- | --- | ---: | ---: | ---: |',
  ];
  for (const image of images) {
    const label = `${image.name} (${image.layers} layers, ${mib(image.compressedBytes)} MiB)`;
    for (const path of PATHS) {
      const failure = image.failures[path];
      if (failure !== undefined) {
        lines.push(`| ${label} | ${path} | fails | - | - | - | ${cell(failure)} | - | - | - | - | - |`);
        continue;
      }
      const s = image.paths[path];
      if (!s) continue;
      const phases = Object.entries(s.medianPhases)
        .map(([name, ms]) => `${name} ${seconds(ms)}`)
        .join(', ');
      const rss = Object.entries(s.peakRss)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 4)
        .map(([name, bytes]) => `${name} ${mib(bytes)}`)
        .join(', ');
      lines.push(
        `| ${label} | ${path} | ${seconds(s.medianMillis)} (${seconds(s.minMillis)}–${seconds(s.maxMillis)}) | ${ratio(s.ratioToIncumbent)} | ${ratio(s.ratioToPhysical)} | ${seconds(s.medianCpuMillis)} | ${treeCell(s.check)} | ${phases} | ${rss}; all ${mib(s.peakTreeRss)} | ${mib(s.peakTmpfs)} | ${mib(s.peakDisk)} | ${mib(s.outputBytes)} |`,
      );
    }
  }
  const shown = PATHS.filter((path) => images.some((image) => image.paths[path] || image.failures[path]));
  lines.push('', ...shown.map((path) => `- ${path}: ${PATH_TITLES[path]}`));
  return lines.join('\n');
}

/** Text for a table cell: one line, no pipes, at most 160 characters. */
function cell(text: string): string {
  const line = text.replace(/\s+/g, ' ').replace(/\|/g, '/').trim();
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}

function treeCell(check: TreeCheck | undefined): string {
  if (check === undefined) return 'not checked';
  if (check.differences === 0) return 'same';
  return `**${check.differences} differences**, e.g. ${cell(check.sample[0] ?? '')}`;
}
