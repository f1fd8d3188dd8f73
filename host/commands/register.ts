// builder-host register --store DIR --volume DIR|IMAGE --path REL --name REF --digest sha256:...:
// validates the disk on the volume, copies it into the store and registers it ready.
import type { ParsedCommand } from '../../cli/args.js';
import { parseDiskFormat } from '../../core/disk-format.js';
import { parseReference } from '../../core/reference.js';
import { openStore, registerPrebuiltImage } from '../store.js';
import { openVolume } from '../volume.js';
import { formatBytes } from './images.js';
import type { REGISTER_SPEC } from './specs.js';

export async function registerCommand({ options }: ParsedCommand<typeof REGISTER_SPEC.options>): Promise<void> {
  const reference = parseReference(options.name);
  const store = await openStore(options.store);
  const sizeLimit = options['size-limit'];
  const volume = await openVolume(options.volume);
  const disk = await volume.openDisk(options.path, { sizeLimit });
  const { entry, alreadyPresent } = await registerPrebuiltImage(store, {
    reference,
    manifestDigest: options.digest,
    ...(options.format !== undefined && { format: parseDiskFormat(options.format, '--format') }),
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
