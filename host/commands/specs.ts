// builder-host's commands as specs (positionals, options, help): the
// dispatcher renders --help and parses from them without loading any command's
// module (cli/dispatch.ts).
import type { CommandSpec } from '../../cli/args.js';
import { DISK_FORMATS } from '../../core/disk-format.js';

const FORMAT = { type: 'string', choices: DISK_FORMATS, help: 'disk format (default erofs; a digest ready in the other format is refused)' } as const;
const JSON_OUTPUT = { type: 'boolean', help: 'the result (or the error) as JSON on stdout' } as const;
const STORE = { type: 'string', value: 'DIR', required: true, help: 'the image store' } as const;

/** What `convert` and `convert-local` share. */
const CONVERSION_OPTIONS = {
  store: STORE,
  insecure: { type: 'boolean', help: 'plain http to the registry' },
  'docker-config': { type: 'string', value: 'FILE', help: 'registry credentials for the host path, docker config.json format' },
  platform: { type: 'string', value: 'OS/ARCH[/VARIANT]', help: "which image of an index (default: the agent's platform, or the host's)" },
  compression: { type: 'string', value: 'lz4|lz4hc[,N]|none', help: 'EROFS compression (default lz4)' },
  format: FORMAT,
  timeout: { type: 'seconds', help: 'bound on the conversion' },
  'size-limit': { type: 'bytes', help: 'cap on the size of a disk copied into the store (default 64 GiB)' },
  'work-dir': { type: 'string', value: 'DIR', help: 'where the host-side conversion mounts its work area' },
  json: JSON_OUTPUT,
  verbose: { type: 'boolean', help: 'info and debug lines on stderr too' },
} as const;

export const CONVERT_SPEC = {
  positionals: ['REF'],
  summary: "ask a builder VM's agent for the disk and register it; convert on the host when that fails",
  options: {
    agent: { type: 'string', value: 'ADDR', required: true, help: 'the agent: unix:PATH, hybrid-vsock:PATH:PORT (Cloud Hypervisor, Firecracker) or vsock:CID:PORT (QEMU)' },
    volume: { type: 'string', value: 'DIR|IMAGE', required: true, help: 'the source volume as the host sees it: a directory, or an ext4 image read with debugfs (never mounted)' },
    ...CONVERSION_OPTIONS,
    fallback: { type: 'string', choices: ['host', 'none'], help: 'what to do when the agent path fails (default host: convert here)' },
    'output-name': { type: 'string', value: 'REL', help: "the disk's path on the volume, relative (default: the agent derives one)" },
    'dial-attempts': { type: 'count', help: 'attempts to reach the agent while its VM boots (default 10)' },
    'resolve-first': { type: 'boolean', help: 'resolve a tag on the host first: a ready digest then costs one manifest fetch' },
    'cleanup-volume': { type: 'boolean', help: "delete the agent's disk from a directory volume once it is registered" },
  },
} as const satisfies CommandSpec;

export const CONVERT_LOCAL_SPEC = {
  positionals: ['REF'],
  summary: 'convert on the host (pull, apply, mkfs here) and register',
  options: CONVERSION_OPTIONS,
} as const satisfies CommandSpec;

export const REGISTER_SPEC = {
  positionals: [],
  summary: 'validate a disk on a volume, copy it into the store and register it ready',
  options: {
    store: STORE,
    volume: CONVERT_SPEC.options.volume,
    path: { type: 'string', value: 'REL', required: true, help: "the disk's path on the volume" },
    name: { type: 'string', value: 'REF', required: true, help: 'the image reference it is filed under (a tag is pointed at it)' },
    digest: { type: 'string', value: 'sha256:...', required: true, help: "the image's manifest digest" },
    format: FORMAT,
    size: { type: 'bytes', help: 'the size the disk must have' },
    sha256: { type: 'string', value: 'sha256:...', help: 'the sha256 the disk must have' },
    'size-limit': CONVERSION_OPTIONS['size-limit'],
    json: JSON_OUTPUT,
  },
} as const satisfies CommandSpec;

export const IMAGES_SPEC = {
  positionals: [],
  summary: 'list the ready images of a store',
  options: { store: STORE, json: JSON_OUTPUT },
} as const satisfies CommandSpec;

export const PUSH_SPEC = {
  positionals: ['REF'],
  summary: "push a ready image's disk to its repository as an OCI artifact, for other hosts to pull instead of converting",
  options: {
    store: STORE,
    insecure: CONVERSION_OPTIONS.insecure,
    'auth-file': { type: 'string', value: 'FILE', help: 'registry credentials, docker config.json format (push access to the repository)' },
    verity: { type: 'boolean', help: 'add a dm-verity hash tree to the entry first (its root hash then travels in the annotations)' },
    json: JSON_OUTPUT,
  },
} as const satisfies CommandSpec;
