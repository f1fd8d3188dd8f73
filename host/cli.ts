#!/usr/bin/env node
import { asBuilderError } from '../proto/errors.js';
import { wantsJson } from '../agent/args.js';
import { dispatch, type Program } from '../agent/subcommands.js';

/** A builder-host command: resolves when done, throws a BuilderError on failure. */
function command(usage: string, load: () => Promise<(argv: string[]) => Promise<void>>): Program['commands'][string] {
  return {
    usage,
    load: async () => {
      const run = await load();
      return async (argv) => {
        await run(argv);
        return 0;
      };
    },
  };
}

const HOST: Program = {
  name: 'builder-host',
  summary: "asks a builder VM's agent for an EROFS disk and registers it",
  commands: {
    convert: command(
      `builder-host convert REF --agent ADDR --volume DIR|IMAGE.ext4 --store DIR
                       [--fallback host|none] [--insecure] [--docker-config FILE] [--platform P]
                       [--compression lz4|lz4hc[,N]|none] [--format erofs|ext4] [--timeout S]
                       [--output-name REL] [--dial-attempts N] [--resolve-first] [--cleanup-volume]
                       [--size-limit N] [--work-dir DIR] [--json] [--verbose]`,
      async () => (await import('./commands/convert.js')).convertCommand,
    ),
    'convert-local': command(
      `builder-host convert-local REF --store DIR [--insecure] [--docker-config FILE] [--platform P]
                       [--compression C] [--format erofs|ext4] [--timeout S] [--size-limit N]
                       [--work-dir DIR] [--json] [--verbose]`,
      async () => (await import('./commands/convert-local.js')).convertLocalCommand,
    ),
    register: command(
      `builder-host register --store DIR --volume DIR|IMAGE --path REL --name REF --digest sha256:...
                       [--format erofs|ext4] [--size N] [--sha256 sha256:...] [--size-limit N] [--json]`,
      async () => (await import('./commands/register.js')).registerCommand,
    ),
    images: command('builder-host images --store DIR [--json]', async () => (await import('./commands/images.js')).imagesCommand),
  },
  notes: `ADDR is unix:PATH, hybrid-vsock:PATH:PORT (Cloud Hypervisor, Firecracker) or vsock:CID:PORT (QEMU).
A volume that is a directory is read in place; an image file is read with debugfs, never mounted.
convert falls back to converting on the host (like convert-local) when any step of the agent's
path fails, unless --fallback none; the output says which path made the image and why.
`,
};

const argv = process.argv.slice(2);
process.exitCode = await dispatch(HOST, argv).catch((err: unknown) => {
  const error = asBuilderError(err);
  if (wantsJson(argv)) process.stdout.write(JSON.stringify({ error: error.toJSON() }) + '\n');
  else process.stderr.write(`builder-host ${argv[0]}: ${error.code}: ${error.message}\n`);
  return error.code === 'INVALID_ARGUMENT' ? 2 : 1;
});
