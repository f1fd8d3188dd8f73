#!/usr/bin/env node
import { PACKAGE_VERSION } from '../agent/version.js';
import { asBuilderError } from '../proto/errors.js';
import { convertLocalCommand } from './commands/convert-local.js';
import { convertCommand } from './commands/convert.js';
import { imagesCommand } from './commands/images.js';
import { registerCommand } from './commands/register.js';

const HELP = `builder-host ${PACKAGE_VERSION}: asks a builder VM's agent for an EROFS disk and registers it

Usage:
  builder-host convert REF --agent ADDR --volume DIR|IMAGE.ext4 --store DIR
                       [--fallback host|none] [--insecure] [--docker-config FILE] [--platform P]
                       [--compression lz4|lz4hc[,N]|none] [--format erofs|ext4] [--timeout S]
                       [--output-name REL] [--dial-attempts N] [--resolve-first] [--cleanup-volume]
                       [--size-limit N] [--work-dir DIR] [--json] [--verbose]
  builder-host convert-local REF --store DIR [--insecure] [--docker-config FILE] [--platform P]
                       [--compression C] [--format erofs|ext4] [--timeout S] [--size-limit N]
                       [--work-dir DIR] [--json] [--verbose]
  builder-host register --store DIR --volume DIR|IMAGE --path REL --name REF --digest sha256:...
                       [--format erofs|ext4] [--size N] [--sha256 sha256:...] [--size-limit N] [--json]
  builder-host images --store DIR [--json]
  builder-host --help | --version

ADDR is unix:PATH, hybrid-vsock:PATH:PORT (Cloud Hypervisor, Firecracker) or vsock:CID:PORT (QEMU).
A volume that is a directory is read in place; an image file is read with debugfs, never mounted.
convert falls back to converting on the host (like convert-local) when any step of the agent's
path fails, unless --fallback none; the output says which path made the image and why.
`;

const COMMANDS: Record<string, (argv: string[]) => Promise<void>> = {
  convert: convertCommand,
  'convert-local': convertLocalCommand,
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
