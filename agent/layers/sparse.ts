// GNU sparse files in tar: the four ways a sparse map is stored (GNU tar's
// manual, "Storing Sparse Files"; Go's archive/tar reader.go), the checks Go
// and bsdtar make on a map, and the cursor that hands a sparse entry's stored
// bytes to the sink at their offsets in the file, so holes stay holes.
//   old GNU 'S'   map in the header (4 fragments) + extension blocks (21 each)
//   PAX 0.0       GNU.sparse.size, numblocks, repeated offset/numbytes records
//   PAX 0.1       GNU.sparse.size, numblocks, map "o,n,o,n,...", name
//   PAX 1.0       GNU.sparse.major=1/minor=0, realsize, name; the map in decimal
//                 lines at the start of the data, padded to whole blocks
import { BuilderError } from '../../proto/errors.js';
import { parseDecimal, SPARSE_MAP } from './pax.js';
import { BLOCK, readNumber } from './tar-header.js';

/** More fragments than this in one file is refused: the map is held in memory (16 bytes a fragment). */
export const MAX_SPARSE_FRAGMENTS = 1 << 18;

/** Data fragments of a sparse file, in file order; everything between them is a hole. */
export interface SparseMap {
  offsets: number[];
  lengths: number[];
}

function invalid(what: string, offset: number): BuilderError {
  return new BuilderError('INVALID_LAYER', `tar: ${what} (at byte ${offset})`);
}

export interface PaxSparse {
  version: '0.x' | '1.0';
  /** The file's size with its holes; null when the records do not give it. */
  realSize: number | null;
  /** GNU.sparse.name: the real name (the header's is GNU tar's "GNUSparseFile.N/..." placeholder). */
  name: string | null;
  /** The map (0.x); null for 1.0, whose map opens the data. */
  map: SparseMap | null;
}

/** Which GNU sparse format, if any, PAX records describe (Go's readGNUSparsePAXHeaders). */
export function paxSparse(pax: Map<string, string>, offset: number): PaxSparse | null {
  const major = pax.get('GNU.sparse.major') ?? '';
  const minor = pax.get('GNU.sparse.minor') ?? '';
  let version: PaxSparse['version'];
  if (major === '0' && (minor === '0' || minor === '1')) version = '0.x';
  else if (major === '1' && minor === '0') version = '1.0';
  else if (major !== '' || minor !== '') throw invalid(`unknown GNU sparse format ${major}.${minor}`, offset);
  else if ((pax.get(SPARSE_MAP) ?? '') !== '') version = '0.x';
  else return null;

  const sizeText = pax.get('GNU.sparse.size') || pax.get('GNU.sparse.realsize') || '';
  const realSize = sizeText === '' ? null : parseDecimal(sizeText);
  if (realSize !== null && !(Number.isSafeInteger(realSize) && realSize >= 0)) throw invalid(`GNU sparse size ${JSON.stringify(sizeText)}`, offset);
  return { version, realSize, name: pax.get('GNU.sparse.name') || null, map: version === '0.x' ? mapFromPax(pax, offset) : null };
}

function mapFromPax(pax: Map<string, string>, offset: number): SparseMap {
  const count = parseDecimal(pax.get('GNU.sparse.numblocks') ?? '');
  if (!(Number.isInteger(count) && count >= 0)) throw invalid(`GNU.sparse.numblocks ${JSON.stringify(pax.get('GNU.sparse.numblocks'))}`, offset);
  checkFragmentCount(count, offset);
  const text = pax.get(SPARSE_MAP) ?? '';
  const fields = text === '' ? [] : text.split(',');
  if (fields.length !== 2 * count) throw invalid(`GNU sparse map has ${fields.length} numbers for ${count} fragments`, offset);
  return mapFromNumbers(fields, offset);
}

function mapFromNumbers(fields: readonly string[], offset: number): SparseMap {
  const map: SparseMap = { offsets: [], lengths: [] };
  for (let i = 0; i < fields.length; i += 2) {
    const start = parseDecimal(fields[i]!);
    const length = parseDecimal(fields[i + 1]!);
    if (Number.isNaN(start) || Number.isNaN(length)) throw invalid(`GNU sparse map entry ${JSON.stringify(`${fields[i]},${fields[i + 1]}`)}`, offset);
    map.offsets.push(start);
    map.lengths.push(length);
  }
  return map;
}

function checkFragmentCount(count: number, offset: number): void {
  if (count > MAX_SPARSE_FRAGMENTS) throw invalid(`sparse file with ${count} fragments (at most ${MAX_SPARSE_FRAGMENTS})`, offset);
}

/** Old GNU 'S' header: fragments at 386 (4 x 24 bytes), "isextended" at 482, real size at 483. */
export function oldGnuSparse(block: Buffer, offset: number): { map: SparseMap; realSize: number; extended: boolean } {
  const realSize = readNumber(block, 483, 12);
  if (!(Number.isSafeInteger(realSize) && realSize >= 0)) throw invalid('GNU sparse header with an impossible real size', offset);
  const map: SparseMap = { offsets: [], lengths: [] };
  readFragments(block, 386, 4, map, offset);
  return { map, realSize, extended: block[482] !== 0 };
}

/** One extension block of an old GNU sparse header: 21 fragments, "isextended" at 504. Returns whether another follows. */
export function readSparseExtension(block: Buffer, map: SparseMap, offset: number): boolean {
  readFragments(block, 0, 21, map, offset);
  checkFragmentCount(map.offsets.length, offset);
  return block[504] !== 0;
}

/** Fragments (offset, numbytes: 12-byte numbers) until one whose offset starts with NUL, as GNU tar, bsdtar and Go stop. */
function readFragments(block: Buffer, start: number, count: number, map: SparseMap, offset: number): void {
  for (let i = 0; i < count; i++) {
    const at = start + i * 24;
    if (block[at] === 0) break;
    const fragmentOffset = readNumber(block, at, 12);
    const length = readNumber(block, at + 12, 12);
    if (Number.isNaN(fragmentOffset) || Number.isNaN(length)) throw invalid('GNU sparse map entry is not a number', offset);
    map.offsets.push(fragmentOffset);
    map.lengths.push(length);
  }
}

/**
 * The PAX 1.0 map at the start of the data: "<count>\n" then "<offset>\n<length>\n"
 * per fragment, in whole blocks. Fed one block at a time; `map` is set once the
 * last line arrived.
 */
export class Sparse1Map {
  map: SparseMap | null = null;
  private readonly blocks: string[] = [];
  private newlines = 0;
  private needed = 1;

  constructor(private readonly offset: number) {}

  add(block: Buffer): void {
    const text = block.toString('latin1', 0, BLOCK);
    this.blocks.push(text);
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.newlines++;
    if (this.newlines < this.needed) return;
    const lines = this.blocks.join('').split('\n');
    if (this.needed === 1) {
      const count = parseDecimal(lines[0]!);
      if (!(Number.isInteger(count) && count >= 0)) throw invalid(`GNU sparse 1.0 map count ${JSON.stringify(lines[0])}`, this.offset);
      checkFragmentCount(count, this.offset);
      this.needed = 1 + 2 * count;
      if (this.newlines < this.needed) return;
    }
    this.map = mapFromNumbers(lines.slice(1, this.needed), this.offset);
  }
}

/** Go's validateSparseEntries (the checks bsdtar makes): fragments in order, not overlapping, inside the file. Returns the bytes stored. */
export function checkSparseMap(map: SparseMap, size: number, offset: number): number {
  let end = 0;
  let stored = 0;
  for (let i = 0; i < map.offsets.length; i++) {
    const start = map.offsets[i]!;
    const length = map.lengths[i]!;
    if (!(Number.isSafeInteger(start) && start >= 0 && Number.isSafeInteger(length) && length >= 0)) throw invalid(`sparse fragment ${start}+${length}`, offset);
    if (start < end) throw invalid(`sparse fragment at ${start} overlaps or precedes the one before`, offset);
    end = start + length;
    if (end > size) throw invalid(`sparse fragment ${start}+${length} beyond the file's size ${size}`, offset);
    stored += length;
  }
  return stored;
}

/** Where file data goes: the tar reader's sink (TarSink). */
export interface PositionedSink {
  data(chunk: Buffer, position: number): void;
}

/** Hands a sparse entry's stored bytes to the sink, each at its offset in the file. */
export class SparseCursor {
  private index = 0;
  private done = 0;

  constructor(private readonly map: SparseMap) {}

  write(chunk: Buffer, sink: PositionedSink): void {
    const { offsets, lengths } = this.map;
    let pos = 0;
    while (pos < chunk.length) {
      while (this.done === lengths[this.index]) {
        this.index++;
        this.done = 0;
      }
      const n = Math.min(lengths[this.index]! - this.done, chunk.length - pos);
      sink.data(chunk.subarray(pos, pos + n), offsets[this.index]! + this.done);
      this.done += n;
      pos += n;
    }
  }
}
