// `builder-agent convert REF --output FILE`: the service's pipeline without the
// service. Prints the result (JSON with --json); a progress line on a TTY.
import { resolve } from 'node:path';
import type { ParsedCommand } from '../cli/args.js';
import { signalOnInterrupt } from '../cli/interrupt.js';
import { ProgressLine } from '../cli/progress-line.js';
import { parseDiskFormat } from '../core/disk-format.js';
import type { CONVERT_SPEC } from './commands.js';
import { convertImage } from './convert.js';
import { registryOptionsFromFlags } from './registry-flags.js';
import { toResultJson } from './result.js';

export async function runConvert({ options, positionals }: ParsedCommand<typeof CONVERT_SPEC.options>): Promise<void> {
  const interrupt = signalOnInterrupt();
  const progress = new ProgressLine(process.stderr);
  try {
    const result = await convertImage({
      reference: positionals[0]!,
      registry: registryOptionsFromFlags(options),
      ...(options.platform !== undefined && { platform: options.platform }),
      ...(options.compression !== undefined && { compression: options.compression }),
      format: parseDiskFormat(options.format ?? 'erofs', '--format'),
      outputPath: resolve(options.output),
      ...(options['work-dir'] !== undefined && { workDir: options['work-dir'] }),
      ...(options['size-limit'] !== undefined && { sizeLimitBytes: options['size-limit'] }),
      signal: interrupt.signal,
      onProgress: (p) => progress.update(p),
      onLog: (level, message) => {
        if (level === 'warn' || level === 'error' || options.verbose) progress.log(`${level}: ${message}`);
      },
    });
    progress.clear();
    const report = toResultJson(result);
    process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : humanReport(report));
  } finally {
    progress.clear();
    interrupt.dispose();
  }
}

function humanReport(report: Record<string, unknown>): string {
  const keys = ['path', 'sizeBytes', 'sha256', 'format', 'compression', 'manifestDigest', 'platform', 'entries', 'timings'];
  return `${keys.map((key) => `${key.padEnd(15)} ${JSON.stringify(report[key])}`).join('\n')}\n`;
}
