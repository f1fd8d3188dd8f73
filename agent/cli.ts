#!/usr/bin/env node
import { BuilderError } from '../proto/errors.js';
import { reportFailure, wantsJson } from './args.js';
import { INSPECT_USAGE, runInspect } from './inspect.js';
import { runServe } from './server/serve-command.js';
import type { Converter } from './server/types.js';
import { PACKAGE_VERSION } from './version.js';

// Placeholder until agent/convert.ts lands: `serve` answers every Convert with this error
// rather than pretending, and announces no capabilities.
const pipelineNotBuilt: Converter = () => Promise.reject(new BuilderError('INTERNAL', 'conversion pipeline not built yet'));

const HELP = `builder-agent ${PACKAGE_VERSION}: turns a pushed OCI/Docker image into a read-only EROFS disk

Usage:
  builder-agent serve --listen vsock:PORT|unix:PATH --output-dir DIR [--work-dir DIR]
  builder-agent convert REF --output FILE [--insecure] [--platform OS/ARCH[/VARIANT]]
                        [--compression lz4|lz4hc[,N]|none] [--format erofs|ext4] [--work-dir DIR] [--json]
  ${INSPECT_USAGE}
  builder-agent --help | --version
`;

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  serve: (argv) => runServe(argv, { converter: pipelineNotBuilt, capabilities: { erofsUtilsVersion: '', compressions: [], formats: [] } }),
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
