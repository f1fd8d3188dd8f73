// builder-host images --store DIR [--json]
import type { ParsedCommand } from '../../cli/args.js';
import { listImages, openStore, type ImageEntry } from '../store.js';
import type { IMAGES_SPEC } from './specs.js';

export async function imagesCommand({ options }: ParsedCommand<typeof IMAGES_SPEC.options>): Promise<void> {
  const images = await listImages(await openStore(options.store));
  if (options.json) {
    process.stdout.write(JSON.stringify({ images }, null, 2) + '\n');
    return;
  }
  process.stdout.write(formatTable(images));
}

function formatTable(images: ImageEntry[]): string {
  const rows = [
    ['REPOSITORY', 'TAGS', 'DIGEST', 'FORMAT', 'SIZE', 'SOURCE', 'CREATED'],
    ...images.map((image) => [
      image.repository,
      image.tags.join(',') || '-',
      image.manifestDigest.slice(0, 'sha256:'.length + 12),
      image.format,
      formatBytes(image.sizeBytes),
      image.source,
      image.createdAt,
    ]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd() + '\n').join('');
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}
