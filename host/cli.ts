#!/usr/bin/env node
import { PACKAGE_VERSION } from '../agent/version.js';
import { asBuilderError } from '../proto/errors.js';
import { imagesCommand } from './commands/images.js';
import { registerCommand } from './commands/register.js';

const HELP = `builder-host ${PACKAGE_VERSION}: asks a builder VM's agent for an EROFS disk and registers it

Usage:
  builder-host convert REF --agent ADDR --volume DIR|IMAGE.ext4 --store DIR
                       [--fallback host|none] [--insecure] [--platform P] [--json]
  builder-host convert-local REF --store DIR [--insecure] [--platform P] [--json]
  builder-host register --store DIR --volume DIR|IMAGE --path REL --name REF --digest sha256:...
                       [--format erofs|ext4] [--size N] [--sha256 sha256:...] [--size-limit N] [--json]
  builder-host images --store DIR [--json]
  builder-host --help | --version

ADDR is unix:PATH, hybrid-vsock:PATH:PORT (Cloud Hypervisor, Firecracker) or vsock:CID:PORT (QEMU).
A volume that is a directory is read in place; an image file is read with debugfs, never mounted.
`;

const COMMANDS: Record<string, (argv: string[]) => Promise<void>> = {
  images: imagesCommand,
  register: registerCommand,
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
  if (!run) {
    process.stderr.write(`builder-host: unknown command '${command}'\n\n${HELP}`);
    return 2;
  }
  try {
    await run(rest);
    return 0;
  } catch (err) {
    const error = asBuilderError(err);
    if (rest.includes('--json')) process.stdout.write(JSON.stringify({ error: error.toJSON() }) + '\n');
    else process.stderr.write(`builder-host ${command}: ${error.code}: ${error.message}\n`);
    return error.code === 'INVALID_ARGUMENT' ? 2 : 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
