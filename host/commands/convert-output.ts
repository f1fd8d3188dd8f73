// What `convert` and `convert-local` share: the options both take, the engine
// and callbacks handed to the orchestrator, and how a result is printed
// (JSON on stdout, or a short summary; agent/progress-line.ts on stderr when it is a TTY).
import { ProgressLine } from '../../agent/progress-line.js';
import type { ConvertImageFn } from '../engine.js';
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
  const progress = new ProgressLine(process.stderr);
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
    convertImage: loadEngineOnUse,
    ...(!flags.json && { onProgress: (_path, update) => progress.update(update) }),
    onLog: (level, message) => {
      if (flags.verbose || level === 'warn' || level === 'error') progress.log(`builder-host: ${level}: ${message}`);
    },
  };
  return {
    options,
    print(result) {
      progress.clear();
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
    ...(result.engineTimings && { engineTimings: result.engineTimings }),
  };
}

/** The conversion engine, loaded only when a conversion runs on the host: the fast path does not need it. */
const loadEngineOnUse: ConvertImageFn = async (options) => (await import('../../agent/convert.js')).convertImage(options);
