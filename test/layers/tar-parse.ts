// The tar reader (agent/layers/tar.ts) driven directly, for the tar test files:
// every entry with its data reassembled at the positions the reader gave
// (holes of a sparse file as zeros), and the error code a tar fails with.
import { TarReader, type TarHeader } from '../../agent/layers/tar.js';
import { BuilderError } from '../../proto/errors.js';

export interface ParsedEntry {
  header: TarHeader;
  /** The file's bytes as the sink would have them on disk: data at its positions, zeros elsewhere, `header.size` long. */
  data: Buffer;
  /** [position, length] of every data call, merged where contiguous. */
  written: Array<[number, number]>;
}

/** Parses `tar`, fed in chunks of `chunk` bytes. Throws what the reader throws. */
export function parseTar(tar: Buffer, chunk = tar.length): { entries: ParsedEntry[]; done: boolean } {
  const entries: ParsedEntry[] = [];
  let pieces: Array<[number, Buffer]> = [];
  const reader = new TarReader({
    entry: (header) => {
      pieces = [];
      entries.push({ header, data: Buffer.alloc(0), written: [] });
    },
    data: (buf, position) => void pieces.push([position, Buffer.from(buf)]),
    entryEnd: () => {
      const entry = entries[entries.length - 1]!;
      const end = Math.max(entry.header.size, ...pieces.map(([at, buf]) => at + buf.length));
      entry.data = Buffer.alloc(end);
      for (const [at, buf] of pieces) {
        buf.copy(entry.data, at);
        const last = entry.written[entry.written.length - 1];
        if (last !== undefined && last[0] + last[1] === at) last[1] += buf.length;
        else entry.written.push([at, buf.length]);
      }
    },
  });
  for (let i = 0; i < tar.length; i += chunk) reader.write(tar.subarray(i, i + chunk));
  reader.end();
  return { entries, done: reader.done };
}

/** The BuilderError `fn` throws, or undefined when it does not throw. */
export function errorOf(fn: () => unknown): BuilderError | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof BuilderError) return err;
    throw err;
  }
  return undefined;
}

export function codeOf(fn: () => unknown): string | undefined {
  return errorOf(fn)?.code;
}

/** A copy of the tar with `text` written into the header block at `block` (a byte offset) + `offset`, checksum fixed: a header the writer meant. */
export function rewriteField(tar: Buffer, offset: number, text: string | Buffer, block = 0): Buffer {
  const copy = Buffer.from(tar);
  if (Buffer.isBuffer(text)) text.copy(copy, block + offset);
  else copy.write(text, block + offset, 'latin1');
  copy.fill(' ', block + 148, block + 156);
  let sum = 0;
  for (let i = block; i < block + 512; i++) sum += copy[i]!;
  copy.write(sum.toString(8).padStart(6, '0') + '\0 ', block + 148, 'latin1');
  return copy;
}
