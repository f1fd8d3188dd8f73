import { realpath, stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { asBuilderError, BuilderError } from '../../proto/errors.js';
import { parseListenAddress } from './listen.js';
import { startAgentServer } from './server.js';
import type { AgentLogger, CapabilitiesProvider, Converter, LogLevelName } from './types.js';

export interface ServeDependencies {
  converter: Converter;
  capabilities: CapabilitiesProvider;
}

export const SERVE_USAGE = `builder-agent serve --listen vsock:PORT|unix:PATH --output-dir DIR [--work-dir DIR]
                    [--timeout SECONDS] [--verbose]`;

/**
 * `builder-agent serve`: listens until SIGTERM or SIGINT, then shuts down gracefully
 * (a second signal exits at once). Resolves with the exit code.
 */
export async function runServe(argv: string[], deps: ServeDependencies): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        listen: { type: 'string' },
        'output-dir': { type: 'string' },
        'work-dir': { type: 'string' },
        timeout: { type: 'string' },
        verbose: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    process.stderr.write(`builder-agent serve: ${(err as Error).message}\nUsage: ${SERVE_USAGE}\n`);
    return 2;
  }
  const log = stderrLogger(values.verbose === true);
  try {
    if (values.listen === undefined || values['output-dir'] === undefined) {
      throw new BuilderError('INVALID_ARGUMENT', `--listen and --output-dir are required\nUsage: ${SERVE_USAGE}`);
    }
    const server = await startAgentServer({
      listen: parseListenAddress(values.listen),
      outputDir: await existingDirectory(values['output-dir'], '--output-dir'),
      ...(values['work-dir'] === undefined ? {} : { workDir: await existingDirectory(values['work-dir'], '--work-dir') }),
      ...(values.timeout === undefined ? {} : { defaultTimeoutSeconds: positiveSeconds(values.timeout) }),
      converter: deps.converter,
      capabilities: deps.capabilities,
      log,
    });
    log('info', `listening on ${server.address}`);
    const signal = await firstSignal();
    log('info', `${signal}: shutting down`);
    process.once('SIGTERM', () => process.exit(143));
    process.once('SIGINT', () => process.exit(130));
    await server.close();
    log('info', 'stopped');
    return 0;
  } catch (err) {
    const error = asBuilderError(err);
    log('error', `${error.code}: ${error.message}`);
    return 1;
  }
}

function firstSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals): void => {
      process.off('SIGTERM', on);
      process.off('SIGINT', on);
      resolve(signal);
    };
    process.on('SIGTERM', on);
    process.on('SIGINT', on);
  });
}

async function existingDirectory(path: string, flag: string): Promise<string> {
  try {
    const real = await realpath(path);
    if ((await stat(real)).isDirectory()) return real;
  } catch {
    // reported below
  }
  throw new BuilderError('INVALID_ARGUMENT', `${flag} ${path} is not an existing directory`);
}

function positiveSeconds(text: string): number {
  const seconds = Number(text);
  if (!Number.isInteger(seconds) || seconds <= 0) throw new BuilderError('INVALID_ARGUMENT', `--timeout ${text} is not a positive number of seconds`);
  return seconds;
}

function stderrLogger(verbose: boolean): AgentLogger {
  return (level: LogLevelName, message: string) => {
    if (level === 'debug' && !verbose) return;
    process.stderr.write(`builder-agent: ${level}: ${message}\n`);
  };
}
