// `builder-agent inspect REF`: resolves an image the way a conversion would
// (platform pick, every digest checked) and prints what it found.
import { existsSync } from 'node:fs';
import { parseCommandArgs, reportFailure, secondsOption, signalOnInterrupt, wantsJson } from './args.js';
import { defaultDockerConfigPath } from './oci/credentials.js';
import { formatPlatform } from './oci/platform.js';
import type { RegistryOptions } from './oci/registry.js';
import { resolveImage } from './oci/resolve.js';
import type { ResolvedImage } from './oci/types.js';

/** Registry options every subcommand that pulls accepts. */
export const REGISTRY_FLAGS = {
  insecure: { type: 'boolean' },
  'auth-file': { type: 'string' },
  'ca-file': { type: 'string' },
  timeout: { type: 'string' },
} as const;

export function registryOptionsFromFlags(values: {
  insecure?: boolean | undefined;
  'auth-file'?: string | undefined;
  'ca-file'?: string | undefined;
  timeout?: string | undefined;
}): RegistryOptions {
  const fallbackAuthFile = defaultDockerConfigPath();
  const authFile = values['auth-file'] ?? (existsSync(fallbackAuthFile) ? fallbackAuthFile : undefined);
  const timeoutMs = secondsOption('timeout', values.timeout);
  return {
    insecure: values.insecure ?? false,
    ...(authFile !== undefined && { authFile }),
    ...(values['ca-file'] !== undefined && { caFile: values['ca-file'] }),
    ...(timeoutMs !== undefined && { timeoutMs }),
  };
}

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

export async function runInspect(argv: string[]): Promise<number> {
  const json = wantsJson(argv);
  const interrupt = signalOnInterrupt();
  try {
    const { values, positionals } = parseCommandArgs(
      'inspect',
      argv,
      { ...REGISTRY_FLAGS, platform: { type: 'string' }, json: { type: 'boolean' } },
      { names: ['REF'] },
    );
    const image = await resolveImage(positionals[0] ?? '', {
      ...registryOptionsFromFlags(values),
      ...(values.platform !== undefined && { platform: values.platform }),
      signal: interrupt.signal,
    });
    process.stdout.write(json ? `${JSON.stringify(inspectReport(image), null, 2)}\n` : humanReport(image));
    return 0;
  } catch (err) {
    return reportFailure(err, json);
  } finally {
    interrupt.dispose();
  }
}
