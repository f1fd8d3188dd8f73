// builder-host register --store DIR --volume DIR|IMAGE --path REL --name REF --digest sha256:...
//   [--format erofs|ext4] [--size N] [--sha256 sha256:...] [--size-limit N] [--json]
// Validates the disk on the volume, copies it into the store and registers it ready.
import { parseCommand } from '../args.js';
import { registerPrebuiltImage, openStore } from '../store.js';
import { DISK_FORMATS, type DiskFormatName } from '../validate.js';
import { openVolume } from '../volume.js';
import { formatBytes } from './images.js';

const SPEC = {
  store: { type: 'string', required: true },
  volume: { type: 'string', required: true },
  path: { type: 'string', required: true },
  name: { type: 'string', required: true },
  digest: { type: 'string', required: true },
  format: { type: 'string', choices: DISK_FORMATS },
  size: { type: 'string', integer: true },
  sha256: { type: 'string' },
  'size-limit': { type: 'string', integer: true },
  json: { type: 'boolean' },
} as const;

export async function registerCommand(argv: string[]): Promise<void> {
  const { options } = parseCommand('register', argv, SPEC);
  const store = await openStore(options.store);
  const sizeLimit = options['size-limit'];
  const volume = await openVolume(options.volume);
  const disk = await volume.openDisk(options.path, { sizeLimit });
  const { entry, alreadyPresent } = await registerPrebuiltImage(store, {
    name: options.name,
    manifestDigest: options.digest,
    format: options.format as DiskFormatName | undefined,
    source: 'agent',
    disk,
    expected: { sizeBytes: options.size, sha256: options.sha256 },
    sizeLimit,
  });
  if (options.json) {
    process.stdout.write(JSON.stringify({ image: entry, alreadyPresent, volume: volume.kind }, null, 2) + '\n');
    return;
  }
  const what = alreadyPresent ? 'already present' : `registered (${formatBytes(entry.sizeBytes)}, ${entry.sha256})`;
  process.stdout.write(`${entry.name}@${entry.manifestDigest}: ${what}\n${entry.diskPath}\n`);
}
