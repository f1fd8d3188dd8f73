// builder-agent's commands as specs (positionals, options, help): the
// dispatcher renders --help and parses from them without loading any command's
// module (cli/dispatch.ts).
import type { CommandSpec } from '../cli/args.js';
import { DISK_FORMATS } from '../core/disk-format.js';

/** Registry options every command that pulls accepts. */
export const REGISTRY_OPTIONS = {
  insecure: { type: 'boolean', help: 'plain http to the registry' },
  'auth-file': { type: 'string', value: 'FILE', help: 'registry credentials, docker config.json format (default: $DOCKER_CONFIG/config.json or ~/.docker/config.json when present)' },
  'ca-file': { type: 'string', value: 'FILE', help: 'extra CA certificates (PEM) for https registries' },
  timeout: { type: 'seconds', help: 'bound on each registry request: connect and headers, and each wait for body bytes (default 30)' },
} as const;

export const SERVE_SPEC = {
  positionals: [],
  summary: 'serve conversion requests on a vsock port or a Unix socket until SIGTERM',
  options: {
    listen: { type: 'string', value: 'vsock:PORT|unix:PATH', required: true, help: 'where to listen' },
    'output-dir': { type: 'string', value: 'DIR', required: true, help: 'the source volume: disks are written here' },
    'work-dir': { type: 'string', value: 'DIR', help: 'where each conversion mounts its tmpfs work area (default: the temp dir)' },
    timeout: { type: 'seconds', help: 'bound on a conversion whose request sets none (default 1800)' },
    verbose: { type: 'boolean', help: 'debug lines in the log too' },
  },
} as const satisfies CommandSpec;

export const CONVERT_SPEC = {
  positionals: ['REF'],
  summary: "convert one image here, without the service (the service's pipeline)",
  options: {
    output: { type: 'string', value: 'FILE', required: true, help: 'the disk to write' },
    platform: { type: 'string', value: 'OS/ARCH[/VARIANT]', help: 'which image of an index (default: this machine\'s)' },
    compression: { type: 'string', value: 'lz4|lz4hc[,N]|none', help: 'EROFS compression (default lz4)' },
    format: { type: 'string', choices: DISK_FORMATS, help: 'disk format (default erofs)' },
    'work-dir': { type: 'string', value: 'DIR', help: 'where the tmpfs work area is mounted (default: the temp dir)' },
    'size-limit': { type: 'bytes', help: 'cap on bytes written into the tree while applying layers (SIZE_LIMIT beyond it)' },
    ...REGISTRY_OPTIONS,
    verbose: { type: 'boolean', help: 'info and debug lines on stderr too' },
    json: { type: 'boolean', help: 'the result (or the error) as JSON on stdout' },
  },
} as const satisfies CommandSpec;

export const INSPECT_SPEC = {
  positionals: ['REF'],
  summary: 'resolve an image as a conversion would (platform pick, every digest checked) and print it',
  options: {
    platform: CONVERT_SPEC.options.platform,
    ...REGISTRY_OPTIONS,
    json: { type: 'boolean', help: 'the result (or the error) as JSON on stdout' },
  },
} as const satisfies CommandSpec;
