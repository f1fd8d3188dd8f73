// Probes the installed filesystem tools once per path and caches what they
// support, so the builders pass only options the tool knows. erofs-utils 1.5
// has no --version: its banner line ("mkfs.erofs 1.5") and its usage text
// (printed for an unknown option) carry the version, the option list and the
// compressors. 1.6+ answers --version with "mkfs.erofs (erofs-utils) X".
import { BuilderError } from '../../proto/errors.js';
import { runTool, type RunResult } from './run.js';

export interface CompressorInfo {
  name: string;
  /** Accepted level range when the tool states it (1.7+ help) or it is known from the source (lz4hc: 0..12). */
  levels?: { min: number; max: number };
}

export interface ErofsUtilsInfo {
  command: string;
  /** e.g. "1.5", "1.8.1". */
  version: string;
  /** [major, minor, patch] for comparisons. */
  versionNumbers: [number, number, number];
  compressors: CompressorInfo[];
  /** --tar=f: build straight from a tar stream (1.7+). */
  tar: boolean;
  /** --workers=N: multi-threaded compression (1.8+ built with MT). */
  workers: boolean;
  quiet: boolean;
  /** -U: fixed filesystem UUID (needs libuuid at build time). */
  uuid: boolean;
  /** -E extended options (force-inode-extended exists in every release with -E). */
  extendedOptions: boolean;
  /** --mkfs-time: -T sets only the build time, not every file's mtime (1.8+). */
  mkfsTime: boolean;
  /** -b#: block size (1.6+); 1.5 always uses the page size. */
  blockSize: boolean;
  /** --sort=none: tar input's data kept in stream order (1.8+). */
  sortNone: boolean;
  /** --oci: build straight from a registry (1.9+ built with --enable-oci). */
  oci: boolean;
  /** --aufs and --ovlfs-strip: whiteouts of tar input as overlayfs metadata, and stripped when merging (1.8+). */
  overlayMerge: boolean;
}

export interface Ext4ToolsInfo {
  command: string;
  /** e2fsprogs version, e.g. "1.47.0". */
  version: string;
  /** debugfs is available (used to tidy the root directory after mkfs.ext4 -d). */
  debugfs: boolean;
}

/** Level ranges known from the sources when the help text does not state them (1.5: lib/compressor_lz4hc.c). */
const KNOWN_LEVELS: Record<string, { min: number; max: number }> = {
  lz4hc: { min: 0, max: 12 },
};

const erofsCache = new Map<string, Promise<ErofsUtilsInfo>>();
const ext4Cache = new Map<string, Promise<Ext4ToolsInfo>>();

/** Probes `mkfs.erofs` (or the given command) once; later calls share the result. */
export function probeErofsUtils(command = 'mkfs.erofs'): Promise<ErofsUtilsInfo> {
  let cached = erofsCache.get(command);
  if (!cached) {
    cached = runErofsProbe(command);
    erofsCache.set(command, cached);
    cached.catch(() => erofsCache.delete(command)); // a missing tool may be installed later
  }
  return cached;
}

/** Probes `mkfs.ext4` once; later calls share the result. */
export function probeExt4Tools(command = 'mkfs.ext4'): Promise<Ext4ToolsInfo> {
  let cached = ext4Cache.get(command);
  if (!cached) {
    cached = runExt4Probe(command);
    ext4Cache.set(command, cached);
    cached.catch(() => ext4Cache.delete(command));
  }
  return cached;
}

async function runErofsProbe(command: string): Promise<ErofsUtilsInfo> {
  const version = await runProbe(command, ['--version']);
  const help = await runProbe(command, ['--help']);
  const text = [version.stdout, version.stderr, help.stdout, help.stderr].join('\n');
  const info = parseMkfsErofsOutput(text, command);
  if (!info) {
    throw new BuilderError('UNSUPPORTED_FORMAT', `${command}: cannot tell its version from its output: ${text.slice(0, 200)}`);
  }
  return info;
}

async function runExt4Probe(command: string): Promise<Ext4ToolsInfo> {
  const result = await runProbe(command, ['-V']);
  const match = /mke2fs\s+(\d+\.\d+(?:\.\d+)?)/.exec(result.stdout + result.stderr);
  if (!match?.[1]) throw new BuilderError('UNSUPPORTED_FORMAT', `${command} -V: no mke2fs version in its output`);
  const debugfs = await runProbe('debugfs', ['-V']).then(
    (r) => /debugfs\s+\d/.test(r.stdout + r.stderr),
    () => false,
  );
  return { command, version: match[1], debugfs };
}

async function runProbe(command: string, args: string[]): Promise<RunResult> {
  try {
    return await runTool(command, args, { captureStdout: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new BuilderError('UNSUPPORTED_FORMAT', `${command} is not installed`, { cause: err });
    }
    throw err;
  }
}

/** Parses the combined --version and --help output of any mkfs.erofs release; undefined when no version is found. */
export function parseMkfsErofsOutput(text: string, command = 'mkfs.erofs'): ErofsUtilsInfo | undefined {
  const versionMatch = /mkfs\.erofs\s+(?:\(erofs-utils\)\s+)?v?(\d+\.\d+(?:\.\d+)?)/.exec(text);
  if (!versionMatch?.[1]) return undefined;
  const version = versionMatch[1];
  const [major = 0, minor = 0, patch = 0] = version.split('.').map(Number);
  const has = (option: RegExp): boolean => option.test(text);
  return {
    command,
    version,
    versionNumbers: [major, minor, patch],
    compressors: parseCompressors(text),
    tar: has(/^\s*--tar\b/m),
    workers: has(/^\s*--workers=/m),
    quiet: has(/^\s*--quiet\b/m),
    uuid: has(/^\s*-U\s*X?\b/m) || has(/^\s*-UX\b/m),
    extendedOptions: has(/^\s*-E/m),
    mkfsTime: has(/^\s*--mkfs-time\b/m),
    blockSize: has(/^\s*-b#/m),
    sortNone: has(/^\s*--sort=<[^>]*\bnone\b/m),
    oci: has(/^\s*--oci\b/m),
    overlayMerge: has(/^\s*--aufs\b/m) && has(/^\s*--ovlfs-strip=/m),
  };
}

/**
 * Compressor names and level ranges. Formats seen:
 *   1.5/1.6:  "Available compressors are: lz4hc, lz4"
 *   1.7+ -V:  "available compressors: lz4, lz4hc, lzma, deflate, zstd"
 *   1.7 help: an indented list, "lz4hc[,<0-12>]  (default=9)"
 *   1.8 help: an indented list, each name on its own line, then "[,level=<0-12>]".
 */
function parseCompressors(text: string): CompressorInfo[] {
  const names = new Set<string>();
  for (const match of text.matchAll(/available compressors(?: are)?:[ \t]*([^\n]*)/gi)) {
    for (const name of (match[1] ?? '').split(/[,\s]+/)) if (/^[a-z0-9]+$/.test(name)) names.add(name);
  }
  const levels = new Map<string, { min: number; max: number }>();
  let current: string | undefined;
  for (const line of text.split('\n')) {
    const nameLine = /^\s{10,}([a-z0-9]+)\s*(\[.*)?$/.exec(line);
    const optionLine = /^\s{10,}\[/.test(line);
    if (nameLine?.[1]) current = nameLine[1];
    else if (!optionLine) current = undefined;
    if (!current) continue;
    names.add(current);
    const range = /\[,?(?:level=)?<(\d+)-(\d+)[,>]/.exec(line);
    if (range) levels.set(current, { min: Number(range[1]), max: Number(range[2]) });
  }
  return [...names].sort().map((name) => {
    const range = levels.get(name) ?? KNOWN_LEVELS[name];
    return range ? { name, levels: range } : { name };
  });
}
