// Verified blob streams and the layer pull.
//
// Contract for consumers (agent/layers): a blob stream is never buffered
// whole; its sha256 and byte count are checked while it flows. It 'end's
// only after both matched. If they do not, or the connection fails, it errors
// (DIGEST_MISMATCH, TIMEOUT, REGISTRY_ERROR, CANCELLED) instead of ending, and
// the consumer must then discard everything it derived from the bytes (the
// partly applied root, temp files): a layer counts as good only after its
// stream ended and its diff_id matched too. A consumer must read to the true
// end of the stream (tar parsers stop at the end-of-archive blocks; drain
// the rest), or the digest is never checked.
import { pipeline, type Readable } from 'node:stream';
import { BuilderError } from '../../proto/errors.js';
import { DigestVerifier } from './digest.js';
import { RegistryClient, type RegistryOptions } from './registry.js';
import type { LayerBlob, LayerDescriptor, ResolvedImage } from './types.js';

export interface BlobRef {
  digest: string;
  size: number;
}

/** Opens a blob as a stream that fails with DIGEST_MISMATCH instead of ending when digest or size do not match. */
export async function openVerifiedBlob(
  client: RegistryClient,
  blob: BlobRef,
  label: string,
  options: { signal?: AbortSignal; bufferBytes?: number } = {},
): Promise<Readable> {
  const raw = await client.openBlob(blob.digest, options.signal);
  const verifier = new DigestVerifier(
    { digest: blob.digest, size: blob.size, label },
    options.bufferBytes !== undefined ? { readableHighWaterMark: options.bufferBytes } : {},
  );
  // Errors of either side reach the verifier (what the consumer holds); destroying it closes the connection.
  pipeline(raw, verifier, () => {});
  return verifier;
}

/** Reads a small verified blob (an image config) into memory; `maxBytes` is checked against the descriptor before fetching. */
export async function readVerifiedBlob(
  client: RegistryClient,
  blob: BlobRef,
  label: string,
  maxBytes: number,
  signal?: AbortSignal,
): Promise<Buffer> {
  if (blob.size > maxBytes) throw new BuilderError('MANIFEST_TOO_LARGE', `${label} is ${blob.size} bytes, over the ${maxBytes}-byte limit`);
  const stream = await openVerifiedBlob(client, blob, label, signal !== undefined ? { signal } : {});
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export const DEFAULT_PREFETCH_BYTES = 16 * 1024 * 1024;

export interface PullOptions extends RegistryOptions {
  /**
   * Bytes of a layer read ahead into memory (default 16 MiB; 0 opens a layer
   * only when it is asked for and buffers 64 KiB). The next layer's download
   * starts when the current one is handed out and stops at this many bytes,
   * held by TCP backpressure; the current one may also be this far ahead of
   * its consumer, so at most about 2x this is buffered.
   */
  prefetchBytes?: number;
  signal?: AbortSignal;
}

/**
 * The image's layers bottom to top, each a verified stream (see the contract
 * above). While layer i is consumed, layer i+1 is already downloading into a
 * buffer of at most `prefetchBytes`.
 */
export async function* pullLayers(image: ResolvedImage, options: PullOptions = {}): AsyncGenerator<LayerBlob, void, undefined> {
  const prefetchBytes = options.prefetchBytes ?? DEFAULT_PREFETCH_BYTES;
  const client = await RegistryClient.open(image.registry, image.repository, options);
  const open = (index: number): Promise<Readable> => {
    const layer = image.layers[index] as LayerDescriptor;
    const opened = openVerifiedBlob(client, layer, `layer ${index} blob ${layer.digest}`, {
      ...(options.signal !== undefined && { signal: options.signal }),
      bufferBytes: Math.max(prefetchBytes, 64 * 1024),
    });
    // Errors of a layer read ahead are reported when its turn comes, not as unhandled events now.
    opened.then((stream) => stream.on('error', () => {})).catch(() => {});
    return opened;
  };
  let ahead: Promise<Readable> | undefined;
  let current: Readable | undefined;
  let completed = false;
  try {
    for (let index = 0; index < image.layers.length; index++) {
      const stream = await (ahead ?? open(index));
      ahead = undefined;
      if (stream.errored) throw stream.errored;
      current = stream;
      if (prefetchBytes > 0 && index + 1 < image.layers.length) ahead = open(index + 1);
      yield { index, descriptor: image.layers[index] as LayerDescriptor, stream };
    }
    completed = true;
  } finally {
    if (!completed) {
      current?.destroy();
      ahead?.then((stream) => stream.destroy()).catch(() => {});
    }
    // Closing the client cuts its connections: wait until the last stream is done with its own.
    if (current !== undefined && !current.destroyed && !current.readableEnded) current.once('close', () => client.close());
    else client.close();
  }
}
