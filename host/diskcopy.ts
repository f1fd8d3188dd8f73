// The one pass over a disk's bytes: hash them, check the superblock of exactly
// the bytes that get stored, enforce the size, and write them sparsely (all-zero
// 64 KiB blocks become holes), then pad to 4096. The guest can rewrite a shared
// volume while we read, so every check is made on the copied bytes, never on a
// separate earlier read.
import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { sha256Hex } from '../core/digest.js';
import { alignUp, checkSuperblock, SUPERBLOCK_PROBE_BYTES, type DiskFormat } from '../core/disk-format.js';
import { BuilderError } from '../proto/errors.js';
import { checkClaims, DEFAULT_DISK_SIZE_LIMIT, type DiskClaims } from './validate.js';

/** Something a disk can be read from once, start to end. */
export interface DiskSource {
  /** The size the source itself reports (e.g. from fstat), checked against what is read. */
  readonly sizeBytes?: number;
  chunks(): AsyncIterable<Uint8Array>;
  close?(): Promise<void>;
}

/** A disk found as a file, opened, not yet read: chunks() once, then close(). */
export interface DiskFile extends DiskSource {
  readonly sizeBytes: number;
  readonly path: string;
  close(): Promise<void>;
}

export interface CopyOptions {
  format: DiskFormat;
  claims?: DiskClaims;
  sizeLimit?: number;
  signal?: AbortSignal;
}

export interface CopyResult {
  /** Of the stored file: padded to a multiple of 4096. */
  sizeBytes: number;
  sha256: string;
  /** Of the bytes read from the source, before padding. */
  sourceSizeBytes: number;
  sourceSha256: string;
}

const HOLE_BLOCK = 64 * 1024;
const READ_CHUNK = 1024 * 1024;
const STAGING_BYTES = 16 * HOLE_BLOCK;
const ZEROES = Buffer.alloc(HOLE_BLOCK);

/** Copies `source` into `dest` (a new, empty file) with every check; `dest` is not fsynced here. */
export async function copyVerifiedDisk(source: DiskSource, dest: FileHandle, options: CopyOptions): Promise<CopyResult> {
  const claims = options.claims ?? {};
  const limit = options.sizeLimit ?? DEFAULT_DISK_SIZE_LIMIT;
  checkClaims(claims, limit);
  if (claims.sizeBytes !== undefined && source.sizeBytes !== undefined && claims.sizeBytes !== source.sizeBytes) {
    throw new BuilderError('SIZE_MISMATCH', `reported size ${claims.sizeBytes} bytes, the file has ${source.sizeBytes}`);
  }
  const maxBytes = claims.sizeBytes ?? source.sizeBytes ?? limit;
  const hash = createHash('sha256');
  const writer = new SparseWriter(dest);
  let head: Buffer | undefined = Buffer.alloc(0);
  let total = 0;

  for await (const chunk of source.chunks()) {
    options.signal?.throwIfAborted();
    if (total + chunk.length > maxBytes) throw overrun(claims, source, limit);
    hash.update(chunk);
    if (head !== undefined) {
      head = Buffer.concat([head, chunk.subarray(0, SUPERBLOCK_PROBE_BYTES - head.length)]);
      if (head.length >= SUPERBLOCK_PROBE_BYTES) {
        checkSuperblock(head, options.format);
        head = undefined;
      }
    }
    await writer.write(chunk);
    total += chunk.length;
  }
  if (total === 0) throw new BuilderError('SIZE_LIMIT', 'the disk is empty');
  if (head !== undefined) checkSuperblock(head, options.format);
  if (claims.sizeBytes !== undefined && total !== claims.sizeBytes) {
    throw new BuilderError('SIZE_MISMATCH', `reported size ${claims.sizeBytes} bytes, read ${total}`);
  }
  if (source.sizeBytes !== undefined && total !== source.sizeBytes) {
    throw new BuilderError('SIZE_MISMATCH', `the file changed size while copied: ${source.sizeBytes} bytes, read ${total}`);
  }
  const sourceHex = hash.copy().digest('hex');
  if (claims.sha256 !== undefined && sha256Hex(claims.sha256, 'reported sha256') !== sourceHex) {
    throw new BuilderError('DIGEST_MISMATCH', `reported ${claims.sha256}, the disk's bytes are sha256:${sourceHex}`);
  }

  await writer.flush();
  const padded = alignUp(total);
  if (padded > total) hash.update(ZEROES.subarray(0, padded - total));
  // Sets the final size: pads, and turns skipped trailing zero blocks into a hole.
  await dest.truncate(padded);
  return { sizeBytes: padded, sha256: `sha256:${hash.digest('hex')}`, sourceSizeBytes: total, sourceSha256: `sha256:${sourceHex}` };
}

function overrun(claims: DiskClaims, source: DiskSource, limit: number): BuilderError {
  if (claims.sizeBytes !== undefined) return new BuilderError('SIZE_MISMATCH', `the disk is longer than its reported ${claims.sizeBytes} bytes`);
  if (source.sizeBytes !== undefined) return new BuilderError('SIZE_MISMATCH', `the file grew past ${source.sizeBytes} bytes while copied`);
  return new BuilderError('SIZE_LIMIT', `the disk is larger than the limit of ${limit} bytes`);
}

/**
 * Collects bytes into 1 MiB staging blocks aligned to file offsets and writes
 * only the runs of 64 KiB blocks that are not all zero. The file must start
 * empty; its final size is set by the caller (truncate), which leaves the holes.
 */
class SparseWriter {
  private readonly staging = Buffer.allocUnsafe(STAGING_BYTES);
  private staged = 0;
  private offset = 0;
  /** The write of the previous full chunk, overlapping the hashing of the next one. */
  private inflight: Promise<void> = Promise.resolve();

  constructor(private readonly file: FileHandle) {}

  async write(chunk: Uint8Array): Promise<void> {
    let data = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    await this.inflight;
    if (this.staged === 0 && data.length === STAGING_BYTES) {
      // The chunk is the caller's own buffer, never reused: safe to write in the background.
      this.inflight = this.writeBlock(data);
      this.inflight.catch(() => undefined); // surfaced by the next await, not as an unhandled rejection
      return;
    }
    while (data.length > 0) {
      const taken = data.copy(this.staging, this.staged);
      this.staged += taken;
      data = data.subarray(taken);
      if (this.staged === STAGING_BYTES) await this.flush();
    }
  }

  async flush(): Promise<void> {
    await this.inflight;
    if (this.staged === 0) return;
    const block = this.staging.subarray(0, this.staged);
    this.staged = 0;
    await this.writeBlock(block);
  }

  private async writeBlock(block: Buffer): Promise<void> {
    let runStart = -1;
    for (let at = 0; at < block.length; at += HOLE_BLOCK) {
      const piece = block.subarray(at, at + HOLE_BLOCK);
      const zero = piece.equals(ZEROES.subarray(0, piece.length));
      if (!zero && runStart < 0) runStart = at;
      if (zero && runStart >= 0) {
        await this.writeFully(block.subarray(runStart, at), this.offset + runStart);
        runStart = -1;
      }
    }
    if (runStart >= 0) await this.writeFully(block.subarray(runStart), this.offset + runStart);
    this.offset += block.length;
  }

  private async writeFully(data: Buffer, position: number): Promise<void> {
    let written = 0;
    while (written < data.length) {
      const { bytesWritten } = await this.file.write(data, written, data.length - written, position + written);
      written += bytesWritten;
    }
  }
}

/** A disk read from an open file; takes ownership of `file` (close() closes it). */
export function diskFromFileHandle(file: FileHandle, sizeBytes: number, path: string): DiskFile {
  let closed = false;
  return {
    path,
    sizeBytes,
    async *chunks() {
      // Reads one chunk ahead, so the disk reads overlap hashing; reads one
      // past the expected size, so a file that grew is noticed.
      const readAt = async (position: number): Promise<Buffer> => {
        const buffer = Buffer.allocUnsafe(READ_CHUNK);
        const { bytesRead } = await file.read(buffer, 0, READ_CHUNK, position);
        return buffer.subarray(0, bytesRead);
      };
      let position = 0;
      let next = readAt(0);
      try {
        for (;;) {
          const chunk = await next;
          if (chunk.length === 0) return;
          position += chunk.length;
          next = position <= sizeBytes ? readAt(position) : Promise.resolve(Buffer.alloc(0));
          yield chunk;
        }
      } finally {
        await next.catch(() => undefined);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await file.close();
    },
  };
}

/** A disk file the host itself made (e.g. by the host-side conversion): trusted path, still fully checked when copied. */
export async function openDiskFile(path: string): Promise<DiskFile> {
  const file = await open(path, 'r');
  try {
    const info = await file.stat();
    if (!info.isFile()) throw new BuilderError('NOT_REGULAR', `${path} is not a regular file`);
    return diskFromFileHandle(file, info.size, path);
  } catch (err) {
    await file.close();
    throw err;
  }
}
