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

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  serve: (argv) => runServe(argv, { converter: pipelineConverter, capabilities: probeCapabilities }),
  convert: runConvert,
  inspect: runInspect,
};

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
  const run = COMMANDS[command];
  if (run === undefined) {
    process.stderr.write(`builder-agent: unknown command '${command}'\n\n${HELP}`);
    return 2;
  }
  return run(rest);
}

process.exitCode = await main(process.argv.slice(2)).catch((err: unknown) => reportFailure(err, wantsJson(process.argv)));
