// builder-host push REF --store DIR [--verity]: the ready entry REF names (by
// digest, or by the tag the store points) goes to the image's repository as an
// artifact attached to its manifest (host/prebuilt/push.ts).
import type { ParsedCommand } from '../../cli/args.js';
import { parseReference } from '../../core/reference.js';
import { BuilderError } from '../../proto/errors.js';
import { addVerity } from '../prebuilt/verity.js';
import { pushPrebuilt } from '../prebuilt/push.js';
import { findStoredImage, openStore } from '../store.js';
import { formatBytes } from './images.js';
import type { PUSH_SPEC } from './specs.js';

export async function pushCommand({ options, positionals }: ParsedCommand<typeof PUSH_SPEC.options>): Promise<void> {
  const reference = parseReference(positionals[0]!);
  const store = await openStore(options.store);
  let entry = await findStoredImage(store, reference);
  if (entry === undefined) throw new BuilderError('NOT_FOUND', `${positionals[0]!} is not a ready image in ${options.store}`);
  if (options.verity) entry = await addVerity(store, entry);
  const pushed = await pushPrebuilt(entry, {
    registry: { insecure: options.insecure, ...(options['auth-file'] !== undefined && { authFile: options['auth-file'] }) },
  });
  if (options.json) {
    process.stdout.write(JSON.stringify({ image: entry, pushed }, null, 2) + '\n');
    return;
  }
  const disk = pushed.diskUploaded ? `disk uploaded (${formatBytes(pushed.disk.size)})` : 'disk already in the registry';
  const listed = pushed.listedBy === 'referrers-api' ? 'the referrers API' : `the referrers tag ${pushed.referrersTag}`;
  process.stdout.write(`${entry.name} ${entry.manifestDigest}: pushed as ${pushed.repository}@${pushed.artifactDigest}; ${disk}; listed by ${listed}\n`);
}
