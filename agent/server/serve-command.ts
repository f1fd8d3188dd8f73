import { realpath, stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { asBuilderError, BuilderError } from '../../proto/errors.js';
import { removeLeftovers } from './leftovers.js';
import { parseListenAddress } from './listen.js';
import { startAgentServer } from './server.js';
import { SERVE_USAGE } from '../usage.js';
import type { AgentLogger, CapabilitiesProvider, Converter, LogLevelName } from './types.js';

export interface ServeDependencies {
  converter: Converter;
  capabilities: CapabilitiesProvider;
}


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
  // Listening for signals before anything else: a SIGTERM that arrives while the server
  // starts (or just after it reports listening) must shut it down, not kill the process
  // with the default action and leave the work area and socat behind.
  const signals = watchSignals();
  try {
    if (values.listen === undefined || values['output-dir'] === undefined) {
      throw new BuilderError('INVALID_ARGUMENT', `--listen and --output-dir are required\nUsage: ${SERVE_USAGE}`);
    }
    const listenAddress = parseListenAddress(values.listen);
    const outputDir = await existingDirectory(values['output-dir'], '--output-dir');
    const workDir = values['work-dir'] === undefined ? undefined : await existingDirectory(values['work-dir'], '--work-dir');
    // A restarted agent (e.g. after the OOM killer) first frees what the killed one held.
    await removeLeftovers({ workDir, outputDir }, log);
    const server = await startAgentServer({
      listen: listenAddress,
      outputDir,
      ...(workDir === undefined ? {} : { workDir }),
      ...(values.timeout === undefined ? {} : { defaultTimeoutSeconds: positiveSeconds(values.timeout) }),
      converter: deps.converter,
      capabilities: deps.capabilities,
      log,
    });
    log('info', `listening on ${server.address}`);
    const signal = await signals.first;
    log('info', `${signal}: shutting down`);
    await server.close();
    log('info', 'stopped');
    return 0;
  } catch (err) {
    const error = asBuilderError(err);
    log('error', `${error.code}: ${error.message}`);
    return 1;
  } finally {
    signals.dispose();
  }
}

/** The first SIGTERM/SIGINT resolves `first`; a second one exits at once (143 or 130). */
function watchSignals(): { first: Promise<NodeJS.Signals>; dispose(): void } {
  let seen = false;
  let resolveFirst: (signal: NodeJS.Signals) => void = () => undefined;
  const first = new Promise<NodeJS.Signals>((resolve) => (resolveFirst = resolve));
  const on = (signal: NodeJS.Signals): void => {
    if (seen) process.exit(signal === 'SIGINT' ? 130 : 143);
    seen = true;
    resolveFirst(signal);
  };
  process.on('SIGTERM', on);
  process.on('SIGINT', on);
  return {
    first,
    dispose: () => {
      process.off('SIGTERM', on);
      process.off('SIGINT', on);
    },
  };
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
