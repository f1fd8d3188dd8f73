// Pads a disk image to a 4096-byte multiple and hashes it in one read pass.
// The padding is a sparse tail (ftruncate), never written zeros: the hash
// takes the zeros from memory, so the tail costs no disk blocks and no I/O.
import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { alignUp } from '../../core/disk-format.js';
import { asBuilderError, BuilderError } from '../../proto/errors.js';

const READ_CHUNK = 1024 * 1024;

export interface AlignedDisk {
  /** Size after padding, a multiple of 4096. */
  size: number;
  /** Hex sha256 of the padded file. */
  sha256: string;
  /** Bytes added as a sparse tail (0 when the file was already aligned). */
  paddedBytes: number;
}

export interface PadAndHashOptions {
  signal?: AbortSignal;
  /**
   * The file's first bytes as the caller already holds them (e.g. a superblock
   * block it just rewrote): hashed from memory instead of read back.
   */
  head?: Buffer;
}

/** Pads `target` (a path or an open handle) to 4096 bytes with a sparse tail, then sha256s it reading each byte once. */
export async function padAndHash(target: string | FileHandle, options: PadAndHashOptions = {}): Promise<AlignedDisk> {
  const handle = typeof target === 'string' ? await open(target, 'r+') : target;
  try {
    const original = (await handle.stat()).size;
    const size = alignUp(original);
    if (size !== original) await handle.truncate(size);
    const sha256 = await hashHandle(handle, original, size, options);
    return { size, sha256, paddedBytes: size - original };
  } catch (err) {
    throw asBuilderError(err);
  } finally {
    if (typeof target === 'string') await handle.close();
  }
}

async function hashHandle(handle: FileHandle, dataEnd: number, size: number, options: PadAndHashOptions): Promise<string> {
  const hash = createHash('sha256');
  let position = 0;
  if (options.head) {
    const head = options.head.subarray(0, Math.min(options.head.length, dataEnd));
    hash.update(head);
    position = head.length;
  }
  const buffer = Buffer.allocUnsafe(READ_CHUNK);
  while (position < dataEnd) {
    options.signal?.throwIfAborted();
    const { bytesRead } = await handle.read(buffer, 0, Math.min(READ_CHUNK, dataEnd - position), position);
    if (bytesRead === 0) throw new BuilderError('TRUNCATED', `disk image shrank while hashing: ended at ${position} of ${dataEnd} bytes`);
    hash.update(buffer.subarray(0, bytesRead));
    position += bytesRead;
  }
  if (size > dataEnd) hash.update(Buffer.alloc(size - dataEnd));
  return hash.digest('hex');
}
