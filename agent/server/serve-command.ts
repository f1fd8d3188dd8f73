import { realpath, stat } from 'node:fs/promises';
import type { ParsedCommand } from '../../cli/args.js';
import { runCommand } from '../../cli/dispatch.js';
import type { LogLevel, Logger } from '../../core/progress.js';
import { BuilderError } from '../../proto/errors.js';
import { SERVE_SPEC } from '../commands.js';
import { removeLeftovers } from './leftovers.js';
import { parseListenAddress } from './listen.js';
import { startAgentServer } from './server.js';
import type { CapabilitiesProvider, Converter } from './types.js';

export interface ServeDependencies {
  converter: Converter;
  capabilities: CapabilitiesProvider;
}

/**
 * `builder-agent serve`: listens until SIGTERM or SIGINT, then shuts down gracefully
 * (a second signal exits at once). Resolves when stopped; throws when it cannot start.
 */
export async function serve({ options }: ParsedCommand<typeof SERVE_SPEC.options>, deps: ServeDependencies): Promise<void> {
  const log = stderrLogger(options.verbose);
  // Listening for signals before anything else: a SIGTERM that arrives while the server
  // starts (or just after it reports listening) must shut it down, not kill the process
  // with the default action and leave the work area and socat behind.
  const signals = watchSignals();
  try {
    const listenAddress = parseListenAddress(options.listen);
    const outputDir = await existingDirectory(options['output-dir'], '--output-dir');
    const workDir = options['work-dir'] === undefined ? undefined : await existingDirectory(options['work-dir'], '--work-dir');
    // A restarted agent (e.g. after the OOM killer) first frees what the killed one held.
    await removeLeftovers({ workDir, outputDir }, log);
    const server = await startAgentServer({
      listen: listenAddress,
      outputDir,
      ...(workDir === undefined ? {} : { workDir }),
      ...(options.timeout === undefined ? {} : { defaultTimeoutSeconds: Math.ceil(options.timeout / 1000) }),
      converter: deps.converter,
      capabilities: deps.capabilities,
      log,
    });
    log('info', `listening on ${server.address}`);
    const signal = await signals.first;
    log('info', `${signal}: shutting down`);
    await server.close();
    log('info', 'stopped');
  } finally {
    signals.dispose();
  }
}

/** `serve` from raw arguments, parsed and failures printed as the CLI does: for entry points that inject their own converter (tests). */
export function runServe(argv: readonly string[], deps: ServeDependencies): Promise<number> {
  return runCommand('builder-agent serve', SERVE_SPEC, argv, (args) => serve(args, deps));
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

function stderrLogger(verbose: boolean): Logger {
  return (level: LogLevel, message: string) => {
    if (level === 'debug' && !verbose) return;
    process.stderr.write(`builder-agent: ${level}: ${message}\n`);
  };
}
