// Samples what a measured run costs besides time: the peak RSS of every process
// of the process trees it watches (VmHWM, read from /proc, so a peak between two
// samples still counts while the process lives), the peak of their summed RSS,
// the peak bytes used on tmpfs mounts below some directories (found anew at
// every sample, so the engine's own work-area mount is seen) and the peak bytes
// allocated by the files below other directories (volumes, stores: few files).
import { lstatSync, readdirSync, readFileSync, statfsSync } from 'node:fs';
import { join } from 'node:path';

export interface ProcessPeak {
  pid: number;
  /** The label given to a root, else the command name (/proc/PID/comm). */
  name: string;
  peakRssBytes: number;
}

export interface ResourcePeaks {
  processes: ProcessPeak[];
  /** Highest sum of VmRSS over all watched processes at one sample. */
  peakTreeRssBytes: number;
  /** Highest sum of bytes used on the tmpfs mounts below `tmpfsUnder`. */
  peakTmpfsBytes: number;
  /** Highest sum of allocated bytes of the files below `diskDirs`. */
  peakDiskBytes: number;
  samples: number;
}

export interface SamplerOptions {
  /** Process roots and their labels; their descendants are watched too. */
  roots: () => Array<{ pid: number; label: string }>;
  tmpfsUnder?: string[];
  diskDirs?: string[];
  intervalMs?: number;
}

export class ResourceSampler {
  private readonly parents = new Map<number, number>();
  private readonly peaks = new Map<string, ProcessPeak>();
  private peakTree = 0;
  private peakTmpfs = 0;
  private peakDisk = 0;
  private samples = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: SamplerOptions) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.options.intervalMs ?? 10);
  }

  /** Takes a last sample (the first call) and returns the peaks. */
  stop(): ResourcePeaks {
    if (this.timer !== undefined) {
      clearInterval(this.timer);
      this.timer = undefined;
      this.sample();
    }
    return {
      processes: [...this.peaks.values()],
      peakTreeRssBytes: this.peakTree,
      peakTmpfsBytes: this.peakTmpfs,
      peakDiskBytes: this.peakDisk,
      samples: this.samples,
    };
  }

  private sample(): void {
    this.samples++;
    let tree = 0;
    for (const { pid, label } of this.watched()) {
      const status = readProc(pid, 'status');
      if (status === undefined) continue;
      const rss = kib(status, 'VmRSS');
      const hwm = kib(status, 'VmHWM');
      tree += rss;
      // Keyed by pid and name: an exec gives the pid a new name and a new VmHWM.
      const key = `${pid} ${label}`;
      const peak = this.peaks.get(key) ?? { pid, name: label, peakRssBytes: 0 };
      peak.peakRssBytes = Math.max(peak.peakRssBytes, hwm, rss);
      this.peaks.set(key, peak);
    }
    this.peakTree = Math.max(this.peakTree, tree);
    const dirs = this.options.tmpfsUnder ?? [];
    if (dirs.length > 0) this.peakTmpfs = Math.max(this.peakTmpfs, tmpfsUsed(dirs));
    const disk = (this.options.diskDirs ?? []).reduce((sum, dir) => sum + allocatedBytes(dir), 0);
    this.peakDisk = Math.max(this.peakDisk, disk);
  }

  /** The roots and every live descendant, with their labels. */
  private watched(): Array<{ pid: number; label: string }> {
    const live = readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .map(Number);
    for (const pid of live) {
      if (this.parents.has(pid)) continue;
      const ppid = parentOf(pid);
      if (ppid !== undefined) this.parents.set(pid, ppid);
    }
    const roots = this.options.roots();
    const labels = new Map(roots.map((root) => [root.pid, root.label]));
    const result: Array<{ pid: number; label: string }> = [];
    for (const pid of live) {
      if (labels.has(pid)) {
        result.push({ pid, label: labels.get(pid)! });
      } else if (this.descends(pid, labels)) {
        // A child named like its node parent is a fork before its exec: its RSS is the parent's pages.
        const name = commandName(pid);
        if (name !== 'node') result.push({ pid, label: name });
      }
    }
    return result;
  }

  private descends(pid: number, roots: Map<number, string>): boolean {
    for (let p = this.parents.get(pid), hops = 0; p !== undefined && p > 1 && hops < 64; p = this.parents.get(p), hops++) {
      if (roots.has(p)) return true;
    }
    return false;
  }
}

function readProc(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'latin1');
  } catch {
    return undefined; // gone
  }
}

function parentOf(pid: number): number | undefined {
  const stat = readProc(pid, 'stat');
  if (stat === undefined) return undefined;
  // "pid (comm) state ppid ...": comm may contain spaces and parentheses.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[1]);
}

function commandName(pid: number): string {
  return readProc(pid, 'comm')?.trim() ?? `pid ${pid}`;
}

function kib(status: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Number(match[1]) * 1024 : 0;
}

const TMPFS_MAGIC = 0x01021994;

/** Bytes used on every tmpfs mounted at or below one of `dirs`. */
export function tmpfsUsed(dirs: string[]): number {
  let used = 0;
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const fields = line.split(' ');
    const separator = fields.indexOf('-');
    if (separator < 0 || fields[separator + 1] !== 'tmpfs') continue;
    const mountpoint = (fields[4] ?? '').replace(/\\([0-7]{3})/g, (_m, octal: string) => String.fromCharCode(parseInt(octal, 8)));
    if (!dirs.some((dir) => mountpoint === dir || mountpoint.startsWith(`${dir}/`))) continue;
    try {
      const fs = statfsSync(mountpoint);
      // Unmounted since mountinfo was read: statfs would describe the filesystem below.
      if (fs.type === TMPFS_MAGIC) used += (fs.blocks - fs.bfree) * fs.bsize;
    } catch {
      // unmounted meanwhile
    }
  }
  return used;
}

/** Allocated bytes (st_blocks) of everything below `dir`, not following links; 0 when it is gone. */
export function allocatedBytes(dir: string): number {
  let total = 0;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    const path = join(dir, name);
    try {
      const stat = lstatSync(path);
      total += stat.blocks * 512;
      if (stat.isDirectory()) total += allocatedBytes(path);
    } catch {
      // removed meanwhile
    }
  }
  return total;
}
