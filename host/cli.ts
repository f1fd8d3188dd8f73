#!/usr/bin/env node
import { PACKAGE_VERSION } from '../agent/version.js';

const HELP = `builder-host ${PACKAGE_VERSION}: asks a builder VM's agent for an EROFS disk and registers it

Usage:
  builder-host convert REF --agent ADDR --volume DIR|IMAGE.ext4 --store DIR
                       [--fallback host|none] [--insecure] [--platform P] [--json]
  builder-host convert-local REF --store DIR [--insecure] [--platform P] [--json]
  builder-host register --store DIR --volume DIR|IMAGE --path REL --name REF --digest sha256:... [--json]
  builder-host images --store DIR [--json]
  builder-host --help | --version

ADDR is unix:PATH, hybrid-vsock:PATH:PORT (Cloud Hypervisor, Firecracker) or vsock:CID:PORT (QEMU).
`;

function main(argv: string[]): number {
  const [command] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(HELP);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version') {
    process.stdout.write(`${PACKAGE_VERSION}\n`);
    return 0;
  }
  process.stderr.write(`builder-host: unknown command '${command}'\n\n${HELP}`);
  return 2;
}

process.exitCode = main(process.argv.slice(2));
