// Argument parsing for the CLI subcommands: node's util.parseArgs (strict,
// `--opt value` and `--opt=value`), plus required options, choices and numbers,
// all failing with INVALID_ARGUMENT so the CLI prints them like any other error.
import { parseArgs } from 'node:util';
import { BuilderError } from '../proto/errors.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  required?: boolean;
  choices?: readonly string[];
  /** A whole number of bytes or similar; parsed with parseCount. */
  integer?: boolean;
}

export type CommandSpec = Record<string, OptionSpec>;

type ValueOf<O extends OptionSpec> = O['type'] extends 'boolean'
  ? boolean
  : O['integer'] extends true
    ? O['required'] extends true
      ? number
      : number | undefined
    : O['required'] extends true
      ? string
      : string | undefined;

export interface ParsedCommand<S extends CommandSpec> {
  options: { [K in keyof S]: ValueOf<S[K]> };
  positionals: string[];
}

export function parseCommand<S extends CommandSpec>(
  command: string,
  argv: string[],
  spec: S,
  positionals: { min: number; max: number } = { min: 0, max: 0 },
): ParsedCommand<S> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: Object.fromEntries(Object.entries(spec).map(([name, option]) => [name, { type: option.type }])),
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    throw new BuilderError('INVALID_ARGUMENT', `${command}: ${(err as Error).message}`);
  }
  const count = parsed.positionals.length;
  if (count < positionals.min || count > positionals.max) {
    throw new BuilderError('INVALID_ARGUMENT', `${command}: expected ${positionals.min === positionals.max ? positionals.min : `${positionals.min} to ${positionals.max}`} arguments, got ${count}`);
  }
  const options: Record<string, string | boolean | number | undefined> = {};
  for (const [name, option] of Object.entries(spec)) {
    const value = parsed.values[name];
    if (option.type === 'boolean') {
      options[name] = value === true;
      continue;
    }
    if (value === undefined) {
      if (option.required) throw new BuilderError('INVALID_ARGUMENT', `${command}: --${name} is required`);
      options[name] = undefined;
      continue;
    }
    const text = value as string;
    if (option.choices && !option.choices.includes(text)) {
      throw new BuilderError('INVALID_ARGUMENT', `${command}: --${name} must be one of ${option.choices.join(', ')}`);
    }
    options[name] = option.integer ? parseCount(text, `--${name}`) : text;
  }
  return { options: options as ParsedCommand<S>['options'], positionals: parsed.positionals };
}

/** A non-negative whole number, as digits only. */
export function parseCount(text: string, what: string): number {
  const value = /^\d{1,16}$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value)) throw new BuilderError('INVALID_ARGUMENT', `${what} must be a whole number, got '${text}'`);
  return value;
}
