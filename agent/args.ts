// Command-line plumbing shared by the builder-agent subcommands: strict
// option parsing (node:util parseArgs) with failures as INVALID_ARGUMENT, and
// one way to report a failure (`{"error":{"code","message"}}` with --json).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { asBuilderError, BuilderError } from '../proto/errors.js';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

export interface PositionalSpec {
  /** Names for messages, e.g. ['REF']; all are required. */
  names: readonly string[];
}

/** Parses `argv` (after the subcommand); unknown options, missing values and wrong positional counts are INVALID_ARGUMENT. */
export function parseCommandArgs<const T extends OptionsConfig>(command: string, argv: string[], options: T, positional: PositionalSpec) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new BuilderError('INVALID_ARGUMENT', `${command}: ${(err as Error).message}`);
  }
  const count = parsed.positionals.length;
  if (count !== positional.names.length) {
    const wanted = positional.names.join(' ');
    throw new BuilderError('INVALID_ARGUMENT', `${command}: expected ${wanted}, got ${count === 0 ? 'nothing' : parsed.positionals.map((p) => JSON.stringify(p)).join(' ')}`);
  }
  return parsed;
}

/** Parses a positive number of seconds (e.g. `--timeout 30`) into milliseconds. */
export function secondsOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new BuilderError('INVALID_ARGUMENT', `--${name}: ${JSON.stringify(value)} is not a positive number of seconds`);
  return Math.round(seconds * 1000);
}

/** Writes a failure the way every subcommand does and returns the exit code (2 for usage errors, 1 otherwise). */
export function reportFailure(err: unknown, json: boolean, program = 'builder-agent'): number {
  const failure = asBuilderError(err);
  if (json) process.stdout.write(`${JSON.stringify({ error: failure.toJSON() })}\n`);
  else process.stderr.write(`${program}: ${failure.message} (${failure.code})\n`);
  return failure.code === 'INVALID_ARGUMENT' ? 2 : 1;
}

/** The arguments before `--` (after it, `--json` or `--help` would be operands). */
export function optionArgs(argv: readonly string[]): readonly string[] {
  const end = argv.indexOf('--');
  return end === -1 ? argv : argv.slice(0, end);
}

/** True when `--json` is among the arguments, so even an argument error can be reported as JSON. */
export function wantsJson(argv: readonly string[]): boolean {
  return optionArgs(argv).includes('--json');
}

/** An AbortSignal that fires on SIGINT/SIGTERM, so a cancelled command ends with CANCELLED and cleans up. */
export function signalOnInterrupt(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onSignal = (): void => controller.abort(new BuilderError('CANCELLED', 'interrupted'));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
