// One 512-byte tar header block -> its fields, as Go's archive/tar reads them
// (reader.go readHeader, format.go getFormat): the format is guessed from the
// magic, the name gets the ustar/star prefix, and a GNU header gets it only
// when its atime/ctime fields do not parse (what Go <= 1.7's writer left
// there: it wrote the prefix behind a GNU magic). Names are byte strings
// (latin1, see tar.ts). Numbers that do not parse are NaN here; tar.ts refuses them.
import { BuilderError } from '../../proto/errors.js';

export const BLOCK = 512;
/** GNU sparse file (old format). */
export const TYPE_GNU_SPARSE = 0x53;

export type TarEntryType = 'file' | 'link' | 'symlink' | 'char' | 'block' | 'dir' | 'fifo';

export type HeaderFormat = 'v7' | 'ustar' | 'star' | 'gnu';

export interface HeaderBlock {
  format: HeaderFormat;
  flag: number;
  name: string;
  linkname: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  devmajor: number;
  devminor: number;
}

/** "ustar\0" (POSIX) or "ustar " (GNU) at 257; GNU's version " \0" at 263; star's trailer "tar\0" at 508. */
function format(block: Buffer): HeaderFormat {
  if (block[257] !== 0x75 || block[258] !== 0x73 || block[259] !== 0x74 || block[260] !== 0x61 || block[261] !== 0x72) return 'v7';
  const last = block[262];
  if (last === 0) {
    return block[508] === 0x74 && block[509] === 0x61 && block[510] === 0x72 && block[511] === 0 ? 'star' : 'ustar';
  }
  return last === 0x20 && block[263] === 0x20 && block[264] === 0 ? 'gnu' : 'v7';
}

export function decodeHeaderBlock(block: Buffer): HeaderBlock {
  const fmt = format(block);
  const v7 = fmt === 'v7';
  return {
    format: fmt,
    flag: block[156]!,
    name: fullName(block, fmt),
    linkname: cstring(block, 157, 100),
    mode: readNumber(block, 100, 8),
    uid: readNumber(block, 108, 8),
    gid: readNumber(block, 116, 8),
    size: readNumber(block, 124, 12),
    mtime: readNumber(block, 136, 12),
    devmajor: v7 ? 0 : readNumber(block, 329, 8),
    devminor: v7 ? 0 : readNumber(block, 337, 8),
  };
}

function fullName(block: Buffer, fmt: HeaderFormat): string {
  const name = cstring(block, 0, 100);
  let prefix = '';
  if (fmt === 'ustar') prefix = cstring(block, 345, 155);
  else if (fmt === 'star') prefix = cstring(block, 345, 131);
  else if (fmt === 'gnu' && !gnuTimesParse(block)) {
    // Go: "If we are unable to parse them and the prefix field looks like an ASCII
    // string, then we fallback on the pre-Go1.8 behavior" (golang.org/issues/12594).
    const candidate = cstring(block, 345, 155);
    if (isAscii(candidate)) prefix = candidate;
  }
  return prefix === '' ? name : `${prefix}/${name}`;
}

/** GNU atime (345) and ctime (357): unset (first byte NUL) or a number. */
function gnuTimesParse(block: Buffer): boolean {
  return (block[345] === 0 || !Number.isNaN(readNumber(block, 345, 12))) && (block[357] === 0 || !Number.isNaN(readNumber(block, 357, 12)));
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) return false;
  return true;
}

export function isZeroBlock(block: Buffer): boolean {
  for (let i = 0; i < BLOCK; i += 8) {
    if (block.readBigUInt64LE(i) !== 0n) return false;
  }
  return true;
}

/** The header checksum, unsigned as POSIX says, or signed as some historic tars wrote it. */
export function checksumMatches(block: Buffer): boolean {
  const stored = readNumber(block, 148, 8);
  let unsigned = 8 * 0x20;
  let signed = 8 * 0x20;
  for (let i = 0; i < BLOCK; i++) {
    if (i >= 148 && i < 156) continue;
    const b = block[i]!;
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  return stored === unsigned || stored === signed;
}

/** Bytes up to the first NUL, as a byte string. */
export function cstring(buf: Buffer, start: number, length: number): string {
  let end = start;
  const limit = start + length;
  while (end < limit && buf[end] !== 0) end++;
  return buf.toString('latin1', start, end);
}

/**
 * A numeric field: GNU base-256 (high bit of the first byte set; two's complement,
 * so it can be negative) or octal, padded with spaces or NULs on either side; a NUL
 * right after the digits ends it. Anything else (a digit 8, a space between digits,
 * text after a space) is NaN, as Go's parseNumeric fails on it.
 */
export function readNumber(buf: Buffer, start: number, length: number): number {
  const first = buf[start]!;
  if (first & 0x80) {
    const negative = (first & 0x40) !== 0;
    let value = (first & 0x3f) - (negative ? 0x40 : 0);
    for (let i = 1; i < length; i++) value = value * 256 + buf[start + i]!;
    return value;
  }
  const end = start + length;
  let i = start;
  while (i < end && (buf[i] === 0x20 || buf[i] === 0)) i++;
  let value = 0;
  for (; i < end; i++) {
    const c = buf[i]!;
    if (c === 0) return value;
    if (c === 0x20) break;
    if (c < 0x30 || c > 0x37) return NaN;
    value = value * 8 + (c - 0x30);
  }
  // After a space only padding may follow, to the end of the field.
  for (; i < end; i++) if (buf[i] !== 0x20 && buf[i] !== 0) return NaN;
  return value;
}

export function entryType(flag: number, name: string, offset: number): TarEntryType {
  switch (flag) {
    case 0: // pre-POSIX regular file; a trailing slash made it a directory (Go reads it so)
      return name.endsWith('/') ? 'dir' : 'file';
    case 0x30: // '0'
    case 0x37: // '7' contiguous file
    case TYPE_GNU_SPARSE:
      return 'file';
    case 0x31:
      return 'link';
    case 0x32:
      return 'symlink';
    case 0x33:
      return 'char';
    case 0x34:
      return 'block';
    case 0x35:
      return 'dir';
    case 0x36:
      return 'fifo';
  }
  const shown = flag >= 0x20 && flag < 0x7f ? `'${String.fromCharCode(flag)}'` : `0x${flag.toString(16)}`;
  throw new BuilderError('INVALID_LAYER', `tar: unsupported entry type ${shown} for ${JSON.stringify(name)} (at byte ${offset})`);
}
