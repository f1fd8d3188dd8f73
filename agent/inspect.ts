// `builder-agent inspect REF`: resolves an image the way a conversion would
// (platform pick, every digest checked) and prints what it found.
import type { ParsedCommand } from '../cli/args.js';
import { signalOnInterrupt } from '../cli/interrupt.js';
import { formatPlatform } from '../core/platform.js';
import type { INSPECT_SPEC } from './commands.js';
import { registryOptionsFromFlags } from './registry-flags.js';
import { resolveImage } from './oci/resolve.js';
import type { ResolvedImage } from './oci/types.js';

/** What `inspect --json` prints. */
function inspectReport(image: ResolvedImage): Record<string, unknown> {
  return {
    reference: image.reference,
    manifestDigest: image.manifestDigest,
    mediaType: image.manifestMediaType,
    ...(image.indexDigest !== undefined && { indexDigest: image.indexDigest, indexMediaType: image.indexMediaType }),
    platform: image.platform,
    configDigest: image.configDigest,
    config: image.config.config ?? {},
    layers: image.layers.map(({ digest, mediaType, size, diffId }) => ({ digest, mediaType, size, diffId })),
  };
}

function humanReport(image: ResolvedImage): string {
  const lines = [
    `reference       ${image.reference}`,
    `manifestDigest  ${image.manifestDigest}`,
    `mediaType       ${image.manifestMediaType}`,
    ...(image.indexDigest !== undefined ? [`indexDigest     ${image.indexDigest} (${image.indexMediaType})`] : []),
    `platform        ${formatPlatform(image.platform)}`,
    `configDigest    ${image.configDigest}`,
    `config          ${JSON.stringify(image.config.config ?? {})}`,
    `layers          ${image.layers.length}`,
    ...image.layers.map((layer, i) => `  ${i}  ${layer.digest}  ${layer.mediaType}  ${layer.size} bytes`),
  ];
  return `${lines.join('\n')}\n`;
}

export async function runInspect({ options, positionals }: ParsedCommand<typeof INSPECT_SPEC.options>): Promise<void> {
  const interrupt = signalOnInterrupt();
  try {
    const image = await resolveImage(positionals[0]!, {
      ...registryOptionsFromFlags(options),
      ...(options.platform !== undefined && { platform: options.platform }),
      signal: interrupt.signal,
    });
    process.stdout.write(options.json ? `${JSON.stringify(inspectReport(image), null, 2)}\n` : humanReport(image));
  } finally {
    interrupt.dispose();
  }
}
