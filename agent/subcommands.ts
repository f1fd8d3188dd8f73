// `PROGRAM COMMAND [ARGS]` for both bins: --help and --version, unknown
// commands, `COMMAND --help`, and each subcommand's module loaded only when that
// command runs: a bin's start-up is part of every conversion's wall time, and
// `builder-host convert` need not load the whole conversion engine to ask an agent.
import { optionArgs } from './args.js';
import { PACKAGE_VERSION } from './version.js';

export interface Subcommand {
  /** One usage line (continuation lines indented), starting with the program name. */
  usage: string;
  /** Loads the command's module; the command resolves with the exit code. */
  load: () => Promise<(argv: string[]) => Promise<number>>;
}

export interface Program {
  name: string;
  /** What the program does, after "NAME VERSION: ". */
  summary: string;
  commands: Record<string, Subcommand>;
  /** Text after the usage lines. */
  notes?: string;
}

export function programHelp(program: Program): string {
  const usages = Object.values(program.commands).map((command) => `  ${command.usage}\n`);
  const notes = program.notes === undefined ? '' : `\n${program.notes}`;
  return `${program.name} ${PACKAGE_VERSION}: ${program.summary}\n\nUsage:\n${usages.join('')}  ${program.name} --help | --version\n${notes}`;
}

/** `--help` or `-h` among a subcommand's options. */
function asksForHelp(argv: readonly string[]): boolean {
  return optionArgs(argv).some((arg) => arg === '--help' || arg === '-h');
}

/** Runs the command `argv` names; failures of the command itself propagate to the caller. */
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
  const command = Object.hasOwn(program.commands, name) ? program.commands[name] : undefined;
  if (command === undefined) {
    process.stderr.write(`${program.name}: unknown command '${name}'\n\n${programHelp(program)}`);
    return 2;
  }
  if (asksForHelp(rest)) {
    process.stdout.write(`Usage: ${command.usage}\n`);
    return 0;
  }
  const run = await command.load();
  return run(rest);
}
