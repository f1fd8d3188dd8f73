#!/usr/bin/env node
import { reportFailure, wantsJson } from './args.js';
import { CONVERT_USAGE, runConvert } from './convert-command.js';
import { INSPECT_USAGE, runInspect } from './inspect.js';
import { pipelineConverter, probeCapabilities } from './server/pipeline.js';
import { runServe, SERVE_USAGE } from './server/serve-command.js';
import { PACKAGE_VERSION } from './version.js';

const HELP = `builder-agent ${PACKAGE_VERSION}: turns a pushed OCI/Docker image into a read-only EROFS disk

Usage:
  ${SERVE_USAGE}
  ${CONVERT_USAGE}
  ${INSPECT_USAGE}
  builder-agent --help | --version
`;

const COMMANDS: Record<string, { usage: string; run: (argv: string[]) => Promise<number> }> = {
  serve: { usage: SERVE_USAGE, run: (argv) => runServe(argv, { converter: pipelineConverter, capabilities: probeCapabilities }) },
  convert: { usage: CONVERT_USAGE, run: runConvert },
  inspect: { usage: INSPECT_USAGE, run: runInspect },
};

/** `--help` or `-h` among a subcommand's options (not after `--`, where it would be an argument). */
function asksForHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(HELP);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version') {
    process.stdout.write(`${PACKAGE_VERSION}\n`);
    return 0;
  }
  const entry = COMMANDS[command];
  if (entry === undefined) {
    process.stderr.write(`builder-agent: unknown command '${command}'\n\n${HELP}`);
    return 2;
  }
  if (asksForHelp(rest)) {
    process.stdout.write(`Usage: ${entry.usage}\n`);
    return 0;
  }
  return entry.run(rest);
}

process.exitCode = await main(process.argv.slice(2)).catch((err: unknown) => reportFailure(err, wantsJson(process.argv)));
