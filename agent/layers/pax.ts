// PAX extended header records (POSIX pax "ustar Interchange Format" extended
// header), read and validated as Go's archive/tar does (strconv.go
// parsePAXRecord/validPAXRecord, reader.go parsePAX/mergePAX). Keys and values
// stay byte strings (latin1, see tar.ts): binary xattr values survive.
import { BuilderError } from '../../proto/errors.js';

/** GNU sparse format 0.0 repeats these two keys per fragment; they are gathered into GNU.sparse.map (as Go does). */
const SPARSE_OFFSET = 'GNU.sparse.offset';
const SPARSE_NUMBYTES = 'GNU.sparse.numbytes';
export const SPARSE_MAP = 'GNU.sparse.map';
/** Keys whose values are names: a NUL in them cannot be meant (Go and bsdtar reject it). */
const NAME_KEYS = new Set(['path', 'linkpath', 'uname', 'gname']);
const DECIMAL = /^[+-]?[0-9]+$/;

/**
 * Records "<len> <key>=<value>\n" (len counts the whole record in bytes) of one
 * extended header body starting at stream offset `offset`. A later record with
 * the same key wins. Malformed records are INVALID_LAYER with the record's offset:
 * a bad or short length, no '=', an empty key, a NUL in a key or in a name value,
 * GNU.sparse.offset/numbytes out of order. NUL padding after the last record is
 * accepted (libarchive reads such bodies; Go does not).
 */
export function parsePaxRecords(body: Buffer, offset: number): Map<string, string> {
  const records = new Map<string, string>();
  const sparseMap: string[] = [];
  let pos = 0;
  while (pos < body.length) {
    if (body[pos] === 0 && isAllZero(body, pos)) break;
    const malformed = (why: string): BuilderError => new BuilderError('INVALID_LAYER', `tar: malformed PAX record: ${why} (at byte ${offset + pos})`);
    const space = body.indexOf(0x20, pos);
    const lengthText = space < 0 ? '' : body.toString('latin1', pos, space);
    const length = DECIMAL.test(lengthText) ? Number(lengthText) : NaN;
    if (!(length >= 5) || pos + length > body.length || space + 1 >= pos + length) throw malformed(`record length ${JSON.stringify(lengthText)}`);
    const end = pos + length - 1;
    if (body[end] !== 0x0a) throw malformed('no newline at the end of the record');
    const eq = body.indexOf(0x3d, space + 1);
    if (eq < 0 || eq > end) throw malformed("no '=' in the record");
    const key = body.toString('latin1', space + 1, eq);
    const value = body.toString('latin1', eq + 1, end);
    if (key === '') throw malformed('empty key');
    if (key.includes('\0')) throw malformed(`NUL in the key ${JSON.stringify(key)}`);
    if (NAME_KEYS.has(key) && value.includes('\0')) throw malformed(`NUL in the value of ${key}`);
    if (key === SPARSE_OFFSET || key === SPARSE_NUMBYTES) {
      const expected = sparseMap.length % 2 === 0 ? SPARSE_OFFSET : SPARSE_NUMBYTES;
      if (key !== expected || value.includes(',')) throw malformed(`${key} out of order in a GNU sparse 0.0 map`);
      sparseMap.push(value);
    } else {
      // An empty value is kept: for path/size/... it means "not set" (POSIX: the keyword is
      // deleted), for an xattr it is an empty attribute value.
      records.set(key, value);
    }
    pos += length;
  }
  if (sparseMap.length > 0) records.set(SPARSE_MAP, sparseMap.join(','));
  return records;
}

function isAllZero(body: Buffer, from: number): boolean {
  for (let i = from; i < body.length; i++) if (body[i] !== 0) return false;
  return true;
}

/** A decimal integer as Go's strconv.ParseInt(v, 10, 64) takes it (optional sign, digits only); NaN otherwise. */
export function parseDecimal(text: string): number {
  return DECIMAL.test(text) ? Number(text) : NaN;
}

/** A PAX time "<seconds>[.<fraction>]", possibly negative; NaN when malformed (Go: ErrHeader). */
export function parsePaxTime(text: string): number {
  const dot = text.indexOf('.');
  if (dot < 0) return parseDecimal(text);
  const seconds = parseDecimal(text.slice(0, dot));
  const fraction = text.slice(dot + 1);
  if (Number.isNaN(seconds) || !/^[0-9]*$/.test(fraction)) return NaN;
  // Nanoseconds at most (Go truncates the rest), keeping the sign of the seconds.
  const nanos = Number(fraction.slice(0, 9).padEnd(9, '0'));
  return text.startsWith('-') ? seconds - nanos / 1e9 : seconds + nanos / 1e9;
}

export interface PaxFields {
  path?: string;
  linkpath?: string;
  size?: number;
  mtime?: number;
  uid?: number;
  gid?: number;
  devmajor?: number;
  devminor?: number;
}

type NumericField = 'size' | 'mtime' | 'uid' | 'gid' | 'devmajor' | 'devminor';

/** Keys whose values must be numbers, the field each sets (null: checked only), and how they parse. */
const NUMERIC_KEYS = new Map<string, readonly [NumericField | null, (text: string) => number]>([
  ['size', ['size', parseDecimal]],
  ['uid', ['uid', parseDecimal]],
  ['gid', ['gid', parseDecimal]],
  ['SCHILY.devmajor', ['devmajor', parseDecimal]],
  ['SCHILY.devminor', ['devminor', parseDecimal]],
  ['mtime', ['mtime', parsePaxTime]],
  ['atime', [null, parsePaxTime]],
  ['ctime', [null, parsePaxTime]],
]);

/**
 * The header fields PAX records override (Go's mergePAX; SCHILY.dev* as GNU tar
 * and star write them). An empty value leaves the header's field; a number or
 * time that does not parse is INVALID_LAYER, as it is ErrHeader in Go.
 */
export function paxFields(pax: Map<string, string>, offset: number): PaxFields {
  const fields: PaxFields = {};
  for (const [key, value] of pax) {
    if (value === '') continue;
    if (key === 'path' || key === 'linkpath') {
      fields[key] = value;
      continue;
    }
    const numeric = NUMERIC_KEYS.get(key);
    if (numeric === undefined) continue;
    const number = numeric[1](value);
    if (Number.isNaN(number)) throw new BuilderError('INVALID_LAYER', `tar: PAX ${key}=${JSON.stringify(value)} is not a number (at byte ${offset})`);
    if (numeric[0] !== null) fields[numeric[0]] = number;
  }
  return fields;
}
