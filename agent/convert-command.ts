// `builder-agent convert REF --output FILE`: the service's pipeline without the
// service. Prints the result (JSON with --json); on failure exits non-zero,
// with {"error":{"code","message"}} under --json. A progress line on a TTY.
import { resolve } from 'node:path';
import { BuilderError } from '../proto/errors.js';
import { parseCommandArgs, reportFailure, signalOnInterrupt, wantsJson } from './args.js';
import { convertImage } from './convert.js';
import { REGISTRY_FLAGS, registryOptionsFromFlags } from './inspect.js';
import { ProgressLine } from './progress-line.js';
import { toResultJson } from './result.js';
import { CONVERT_USAGE } from './usage.js';


export async function runConvert(argv: string[]): Promise<number> {
  const json = wantsJson(argv);
  const interrupt = signalOnInterrupt();
  const progress = new ProgressLine(process.stderr);
  try {
    const { values, positionals } = parseCommandArgs(
      'convert',
      argv,
      {
        ...REGISTRY_FLAGS,
        output: { type: 'string' },
        platform: { type: 'string' },
        compression: { type: 'string' },
        format: { type: 'string' },
        'work-dir': { type: 'string' },
        'size-limit': { type: 'string' },
        verbose: { type: 'boolean' },
        json: { type: 'boolean' },
      },
      { names: ['REF'] },
    );
    if (values.output === undefined) throw new BuilderError('INVALID_ARGUMENT', `convert: --output FILE is required\nUsage: ${CONVERT_USAGE}`);
    const format = values.format ?? 'erofs';
    if (format !== 'erofs' && format !== 'ext4') throw new BuilderError('INVALID_ARGUMENT', `convert: --format must be erofs or ext4, not ${JSON.stringify(format)}`);
    const result = await convertImage({
      reference: positionals[0] ?? '',
      registry: registryOptionsFromFlags(values),
      ...(values.platform !== undefined && { platform: values.platform }),
      ...(values.compression !== undefined && { compression: values.compression }),
      format,
      outputPath: resolve(values.output),
      ...(values['work-dir'] !== undefined && { workDir: values['work-dir'] }),
      ...(values['size-limit'] !== undefined && { sizeLimitBytes: byteCount(values['size-limit']) }),
      signal: interrupt.signal,
      onProgress: (p) => progress.update(p),
      onLog: (level, message) => {
        if (level === 'warn' || level === 'error' || values.verbose === true) progress.log(`${level}: ${message}`);
      },
    });
    progress.clear();
    const report = toResultJson(result);
    process.stdout.write(json ? `${JSON.stringify(report)}\n` : humanReport(report));
    return 0;
  } catch (err) {
    progress.clear();
    return reportFailure(err, json);
  } finally {
    interrupt.dispose();
  }
}

function byteCount(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value <= 0) throw new BuilderError('INVALID_ARGUMENT', `--size-limit: ${JSON.stringify(text)} is not a positive number of bytes`);
  return value;
}

function humanReport(report: Record<string, unknown>): string {
  const keys = ['path', 'sizeBytes', 'sha256', 'format', 'compression', 'manifestDigest', 'platform', 'entries', 'timings'];
  return `${keys.map((key) => `${key.padEnd(15)} ${JSON.stringify(report[key])}`).join('\n')}\n`;
}
