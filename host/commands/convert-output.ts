// What `convert` and `convert-local` share: the options both take, the engine
// and callbacks handed to the orchestrator, and how a result is printed
// (JSON on stdout, or a short summary; progress on stderr only when it is a TTY).
import { convertImage } from '../../agent/convert.js';
import type { ProgressUpdate } from '../engine.js';
import type { ConversionOptions, ConvertAndRegisterResult } from '../orchestrate.js';
import { openStore } from '../store.js';
import { DISK_FORMATS, type DiskFormatName } from '../validate.js';
import type { ParsedCommand } from '../args.js';
import { formatBytes } from './images.js';

export const CONVERSION_SPEC = {
  store: { type: 'string', required: true },
  insecure: { type: 'boolean' },
  'docker-config': { type: 'string' },
  platform: { type: 'string' },
  compression: { type: 'string' },
  format: { type: 'string', choices: DISK_FORMATS },
  timeout: { type: 'string', integer: true },
  'size-limit': { type: 'string', integer: true },
  'work-dir': { type: 'string' },
  json: { type: 'boolean' },
  verbose: { type: 'boolean' },
} as const;

type ConversionFlags = ParsedCommand<typeof CONVERSION_SPEC>['options'];

export interface PreparedConversion {
  options: ConversionOptions;
  /** Prints the result (and clears the progress line). */
  print(result: ConvertAndRegisterResult): void;
}

/** The orchestrator options both commands build from their shared flags, with the real pipeline as the engine. */
export async function prepareConversion(reference: string, flags: ConversionFlags): Promise<PreparedConversion> {
  const progress = flags.json || !process.stderr.isTTY ? undefined : new ProgressLine();
  const options: ConversionOptions = {
    reference,
    store: await openStore(flags.store),
    registry: { insecure: flags.insecure, ...(flags['docker-config'] !== undefined && { authFile: flags['docker-config'] }) },
    ...(flags.platform !== undefined && { platform: flags.platform }),
    ...(flags.compression !== undefined && { compression: flags.compression }),
    ...(flags.format !== undefined && { format: flags.format as DiskFormatName }),
    ...(flags.timeout !== undefined && { hostTimeoutMs: flags.timeout * 1000 }),
    ...(flags['size-limit'] !== undefined && { diskSizeLimit: flags['size-limit'] }),
    ...(flags['work-dir'] !== undefined && { workDir: flags['work-dir'] }),
    convertImage,
    onProgress: progress ? (path, update) => progress.show(path, update) : undefined,
    onLog: (level, message) => {
      if (!flags.verbose && (level === 'debug' || level === 'info')) return;
      progress?.clear();
      process.stderr.write(`builder-host: ${level}: ${message}\n`);
    },
  };
  return {
    options,
    print(result) {
      progress?.clear();
      printConversion(result, flags.json);
    },
  };
}

function printConversion(result: ConvertAndRegisterResult, json: boolean): void {
  if (json) {
    process.stdout.write(JSON.stringify({ image: result.entry, path: result.path, alreadyPresent: result.alreadyPresent, ...pick(result) }, null, 2) + '\n');
    return;
  }
  const { entry } = result;
  const how = result.alreadyPresent
    ? `already present (made by the ${result.path} path)`
    : `registered from the ${result.path} path (${formatBytes(entry.sizeBytes)}, ${entry.sha256})`;
  const why = result.fallbackReason ? `\nfast path failed: ${result.fallbackReason.code}: ${result.fallbackReason.message}` : '';
  process.stdout.write(`${entry.name} ${entry.manifestDigest}: ${how}${why}\n${entry.diskPath}\n`);
}

function pick(result: ConvertAndRegisterResult): Partial<ConvertAndRegisterResult> {
  return {
    ...(result.fallbackReason && { fallbackReason: result.fallbackReason }),
    ...(result.knownBy && { knownBy: result.knownBy }),
    ...(result.agent && { agent: result.agent }),
    timings: result.timings,
  };
}

/** One self-overwriting status line on a terminal's stderr, at most 10 updates a second. */
class ProgressLine {
  private last = 0;
  private lastPhase = '';
  private shown = false;

  show(path: string, progress: ProgressUpdate): void {
    const now = performance.now();
    if (now - this.last < 100 && progress.phase === this.lastPhase) return;
    this.last = now;
    this.lastPhase = progress.phase;
    const layer = progress.layerCount ? ` layer ${progress.layerIndex}/${progress.layerCount}` : '';
    const bytes = progress.bytesTotal ? ` ${formatBytes(progress.bytesDone)}/${formatBytes(progress.bytesTotal)}` : '';
    process.stderr.write(`\r\x1b[2K[${path}] ${progress.phase}${layer}${bytes}`);
    this.shown = true;
  }

  clear(): void {
    if (this.shown) process.stderr.write('\r\x1b[2K');
    this.shown = false;
  }
}
