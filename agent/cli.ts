#!/usr/bin/env node
import { BuilderError } from '../proto/errors.js';
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
  builder-agent inspect REF [--platform P] [--insecure] --json
  builder-agent --help | --version
`;

async function main(argv: string[]): Promise<number> {
  const [command] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(HELP);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version') {
    process.stdout.write(`${PACKAGE_VERSION}\n`);
    return 0;
  }
  if (command === 'serve') {
    return runServe(argv.slice(1), { converter: pipelineNotBuilt, capabilities: { erofsUtilsVersion: '', compressions: [], formats: [] } });
  }
  process.stderr.write(`builder-agent: unknown command '${command}'\n\n${HELP}`);
  return 2;
}

process.exitCode = await main(process.argv.slice(2));
