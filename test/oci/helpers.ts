// Small helpers shared by the oci-*.test.ts suites.
import type { Readable } from 'node:stream';
import { pullLayers, type PullOptions } from '../../agent/oci/blobs.js';
import type { ResolvedImage } from '../../agent/oci/types.js';
import { decompressLayer, readTar } from '../../testkit/fixtures/readback.js';
import type { EntrySpec, ImageSpec } from '../../testkit/fixtures/index.js';

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Every layer's compressed bytes, through pullLayers' verified streams. */
export async function pullAll(image: ResolvedImage, options: PullOptions = {}): Promise<Buffer[]> {
  const blobs: Buffer[] = [];
  for await (const layer of pullLayers(image, options)) blobs.push(await readAll(layer.stream));
  return blobs;
}

/** file path -> text of every file in a pulled layer. */
export async function layerFiles(bytes: Buffer, compression: 'gzip' | 'zstd' | 'none'): Promise<Record<string, string>> {
  const members = await readTar(decompressLayer(bytes, compression));
  return Object.fromEntries(members.filter((m) => m.header.type === 'file').map((m) => [m.header.name, m.body.toString()]));
}

/** An image whose only file names its platform, so a wrong pick shows in the content. */
export function platformImage(os: string, architecture: string, variant?: string): ImageSpec {
  const name = `${os}/${architecture}${variant ? `/${variant}` : ''}`;
  const entries: EntrySpec[] = [{ type: 'file', path: 'platform.txt', content: `${name}\n` }];
  return { layers: [{ entries }], platform: { os, architecture, ...(variant !== undefined && { variant }) }, config: { Labels: { platform: name } } };
}

/** Byte-for-byte equality of pulled blobs (vitest's deep equality is far too slow on megabytes). */
export function sameBlobs(actual: Buffer[], expected: Buffer[]): boolean {
  return actual.length === expected.length && actual.every((bytes, i) => bytes.equals(expected[i] as Buffer));
}

/** What `fn` throws (fails the test when it does not throw). */
export function thrown(fn: () => unknown): { code?: string; message: string } {
  try {
    fn();
  } catch (err) {
    return err as { code?: string; message: string };
  }
  throw new Error('expected a failure');
}
