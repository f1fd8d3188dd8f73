// Command lines for both bins: one declarative spec per command (its
// positionals and options, each with its help text), parsed strictly by
// node:util's parseArgs (`--opt value` and `--opt=value`) into typed values;
// every failure is INVALID_ARGUMENT, so it is printed like any other error.
// The same spec renders the command's --help, so help and parser cannot disagree.
import { parseArgs } from 'node:util';
import { BuilderError } from '../proto/errors.js';

export type OptionType =
  /** --flag */
  | 'boolean'
  | 'string'
  /** A whole number >= 0, digits only. */
  | 'count'
  /** A whole number of bytes > 0, digits only. */
  | 'bytes'
  /** A positive number of seconds (fractions allowed); parsed into milliseconds. */
  | 'seconds';

export interface OptionSpec {
  type: OptionType;
  /** What the value is, for --help, e.g. 'FILE', 'BYTES' (default: from the type). */
  value?: string;
  /** One line for --help. */
  help: string;
  required?: boolean;
  choices?: readonly string[];
}

export type OptionsSpec = Record<string, OptionSpec>;

export interface CommandSpec<O extends OptionsSpec = OptionsSpec> {
  /** Positional arguments, all required, e.g. ['REF']. */
  positionals: readonly string[];
  options: O;
  /** One line: what the command does. */
  summary: string;
}

type ValueOf<O extends OptionSpec> = O['type'] extends 'boolean'
  ? boolean
  : (O['type'] extends 'string' ? string : number) | (O['required'] extends true ? never : undefined);

export interface ParsedCommand<O extends OptionsSpec> {
  options: { [K in keyof O]: ValueOf<O[K]> };
  positionals: string[];
}

/** Parses `argv` (the arguments after the command name) by `spec`. */
export function parseCommand<O extends OptionsSpec>(argv: readonly string[], spec: CommandSpec<O>): ParsedCommand<O> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: Object.fromEntries(Object.entries(spec.options).map(([name, option]) => [name, { type: option.type === 'boolean' ? 'boolean' : 'string' }])),
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    throw new BuilderError('INVALID_ARGUMENT', (err as Error).message);
  }
  const wanted = spec.positionals;
  if (parsed.positionals.length !== wanted.length) {
    const got = parsed.positionals.length === 0 ? 'nothing' : parsed.positionals.map((p) => JSON.stringify(p)).join(' ');
    throw new BuilderError('INVALID_ARGUMENT', `expected ${wanted.length === 0 ? 'no arguments' : wanted.join(' ')}, got ${got}`);
  }
  const options: Record<string, string | boolean | number | undefined> = {};
  for (const [name, option] of Object.entries(spec.options)) {
    const value = parsed.values[name];
    if (option.type === 'boolean') {
      options[name] = value === true;
    } else if (value === undefined) {
      if (option.required) throw new BuilderError('INVALID_ARGUMENT', `--${name} is required`);
      options[name] = undefined;
    } else {
      options[name] = optionValue(name, option, value as string);
    }
  }
  return { options: options as ParsedCommand<O>['options'], positionals: parsed.positionals };
}

function optionValue(name: string, option: OptionSpec, text: string): string | number {
  if (option.choices && !option.choices.includes(text)) {
    throw new BuilderError('INVALID_ARGUMENT', `--${name} must be one of ${option.choices.join(', ')}, not ${JSON.stringify(text)}`);
  }
  if (option.type === 'count') return parseCount(text, `--${name}`);
  if (option.type === 'bytes') return parseByteCount(text, `--${name}`);
  if (option.type === 'seconds') return parseSeconds(text, `--${name}`);
  return text;
}

/** A non-negative whole number, as digits only. */
export function parseCount(text: string, what: string): number {
  const value = /^\d{1,16}$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value)) throw new BuilderError('INVALID_ARGUMENT', `${what} must be a whole number, not ${JSON.stringify(text)}`);
  return value;
}

/** A positive whole number of bytes. */
export function parseByteCount(text: string, what: string): number {
  const value = parseCount(text, what);
  if (value === 0) throw new BuilderError('INVALID_ARGUMENT', `${what} must be a positive number of bytes, not 0`);
  return value;
}

/** A positive number of seconds, in milliseconds. */
export function parseSeconds(text: string, what: string): number {
  const seconds = /^\d+(?:\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!(seconds > 0) || !Number.isFinite(seconds)) throw new BuilderError('INVALID_ARGUMENT', `${what} must be a positive number of seconds, not ${JSON.stringify(text)}`);
  return Math.round(seconds * 1000);
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

const VALUE_NAMES: Record<OptionType, string> = { boolean: '', string: 'VALUE', count: 'N', bytes: 'BYTES', seconds: 'SECONDS' };

/** The command's --help: usage line, summary, and every option with its help line. */
export function commandHelp(usagePrefix: string, spec: CommandSpec): string {
  const rows = Object.entries(spec.options).map(([name, option]) => {
    const value = option.type === 'boolean' ? '' : ` ${option.value ?? option.choices?.join('|') ?? VALUE_NAMES[option.type]}`;
    return { flag: `--${name}${value}`, help: `${option.help}${option.required ? ' (required)' : ''}` };
  });
  const width = Math.max(...rows.map((row) => row.flag.length), 0);
  const lines = rows.map((row) => `  ${row.flag.padEnd(width)}  ${row.help}`);
  const positionals = spec.positionals.length === 0 ? '' : ` ${spec.positionals.join(' ')}`;
  return `Usage: ${usagePrefix}${positionals} [OPTIONS]\n${spec.summary}\n\nOptions:\n${lines.join('\n')}\n`;
}
