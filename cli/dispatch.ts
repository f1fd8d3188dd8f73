// `PROGRAM COMMAND [ARGS]` for both bins: --help and --version, unknown
// commands, `COMMAND --help` (rendered from the command's spec), parsing by
// that same spec, and each command's module loaded only when the command runs:
// a bin's start-up is part of every conversion's wall time, and `builder-host
// convert` need not load the whole conversion engine to ask an agent. Every
// failure, of the arguments or of the command, is printed one way (failure.ts).
import { PACKAGE_VERSION } from '../core/version.js';
import { commandHelp, optionArgs, parseCommand, wantsJson, type CommandSpec, type OptionsSpec, type ParsedCommand } from './args.js';
import { printFailure } from './failure.js';

export interface Command<O extends OptionsSpec = OptionsSpec> {
  spec: CommandSpec<O>;
  /** Loads the command's module; the command resolves with its exit code (0 when it returns nothing) or throws. */
  load: () => Promise<(args: ParsedCommand<O>) => Promise<number | void>>;
}

/** A command whose run function is typed by its spec. */
export function command<O extends OptionsSpec>(spec: CommandSpec<O>, load: Command<O>['load']): Command {
  return { spec, load } as unknown as Command;
}

export interface Program {
  name: string;
  /** What the program does, after "NAME VERSION: ". */
  summary: string;
  commands: Record<string, Command>;
  /** Text after the command list. */
  notes?: string;
}

export function programHelp(program: Program): string {
  const names = Object.keys(program.commands);
  const width = Math.max(...names.map((name) => name.length));
  const lines = names.map((name) => `  ${program.name} ${name.padEnd(width)}  ${program.commands[name]!.spec.summary}\n`);
  const notes = program.notes === undefined ? '' : `\n${program.notes}`;
  return `${program.name} ${PACKAGE_VERSION}: ${program.summary}\n\nUsage:\n${lines.join('')}  ${program.name} COMMAND --help     the command's options\n  ${program.name} --help | --version\n${notes}`;
}

/** `--help` or `-h` among a command's options. */
function asksForHelp(argv: readonly string[]): boolean {
  return optionArgs(argv).some((arg) => arg === '--help' || arg === '-h');
}

/** Runs the command `argv` names and resolves with the exit code; failures are printed, never thrown. */
export async function dispatch(program: Program, argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(programHelp(program));
    return name === undefined ? 2 : 0;
  }
  if (name === '--version') {
    process.stdout.write(`${PACKAGE_VERSION}\n`);
    return 0;
  }
  const found = Object.hasOwn(program.commands, name) ? program.commands[name] : undefined;
  if (found === undefined) {
    process.stderr.write(`${program.name}: unknown command '${name}'\n\n${programHelp(program)}`);
    return 2;
  }
  if (asksForHelp(rest)) {
    process.stdout.write(commandHelp(`${program.name} ${name}`, found.spec));
    return 0;
  }
  return runCommand(`${program.name} ${name}`, found.spec, rest, async (args) => (await found.load())(args));
}

/**
 * Parses `argv` by `spec` and runs the command with the result; resolves with its exit code,
 * a failure printed (failure.ts). For entry points other than dispatch (tests run `serve` so).
 */
export async function runCommand<O extends OptionsSpec>(
  who: string,
  spec: CommandSpec<O>,
  argv: readonly string[],
  run: (args: ParsedCommand<O>) => Promise<number | void>,
): Promise<number> {
  try {
    return (await run(parseCommand(argv, spec))) ?? 0;
  } catch (err) {
    return printFailure(who, err, wantsJson(argv));
  }
}
