// What `convert` and `convert-local` share: the orchestrator options built from
// their common flags, the callbacks, and how a result is printed (JSON on stdout,
// or a short summary; a progress line on stderr when it is a TTY).
import type { ParsedCommand } from '../../cli/args.js';
import { ProgressLine } from '../../cli/progress-line.js';
import { parseDiskFormat } from '../../core/disk-format.js';
import type { ConversionOptions, ConvertAndRegisterResult } from '../orchestrate.js';
import { openStore } from '../store.js';
import { formatBytes } from './images.js';
import type { CONVERT_LOCAL_SPEC } from './specs.js';

type ConversionFlags = ParsedCommand<typeof CONVERT_LOCAL_SPEC.options>['options'];

export interface PreparedConversion {
  options: ConversionOptions;
  /** Prints the result (and clears the progress line). */
  print(result: ConvertAndRegisterResult): void;
}

/** The orchestrator options both commands build from their shared flags. */
export async function prepareConversion(reference: string, flags: ConversionFlags): Promise<PreparedConversion> {
  const progress = new ProgressLine(process.stderr);
  const options: ConversionOptions = {
    reference,
    store: await openStore(flags.store),
    registry: { insecure: flags.insecure, ...(flags['docker-config'] !== undefined && { authFile: flags['docker-config'] }) },
    ...(flags.platform !== undefined && { platform: flags.platform }),
    ...(flags.compression !== undefined && { compression: flags.compression }),
    ...(flags.format !== undefined && { format: parseDiskFormat(flags.format, '--format') }),
    ...(flags.timeout !== undefined && { hostTimeoutMs: flags.timeout }),
    ...(flags['size-limit'] !== undefined && { diskSizeLimit: flags['size-limit'] }),
    ...(flags['work-dir'] !== undefined && { workDir: flags['work-dir'] }),
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
