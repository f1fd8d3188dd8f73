// Compares two TreeSnapshots attribute by attribute and lists every difference.
import { parentPath, type TreeEntry, type TreeSnapshot } from './tree.js';

export type DifferenceAttribute =
  | 'entry'
  | 'type'
  | 'mode'
  | 'uid'
  | 'gid'
  | 'size'
  | 'content'
  | 'target'
  | 'device'
  | 'xattr'
  | 'hardlinks'
  | 'mtime';

export interface Difference {
  path: string;
  attribute: DifferenceAttribute;
  /** The xattr's name, when attribute is 'xattr'. */
  xattr?: string;
  /** Printable values: modes in octal ('04755'), 'absent' for a missing entry or xattr. */
  expected: string;
  actual: string;
}

export interface CompareOptions {
  /** 'exact' (default): missing and extra entries are differences. 'subset': extra actual entries are allowed. */
  mode?: 'exact' | 'subset';
  /** true: never compare mtimes; a list: skip mtimes of these paths and everything below them. */
  ignoreMtime?: boolean | string[];
  /** Skip the mtimes of directories (they change whenever a child is added or removed). */
  ignoreDirMtimes?: boolean;
  /** Compare mtimes to the nanosecond instead of the second. */
  mtimeNanoseconds?: boolean;
  /** Skip the root's own metadata (mode, owner, mtime, xattrs); its type is still checked. */
  ignoreRoot?: boolean;
}

const ABSENT = 'absent';

export function formatMode(mode: number): string {
  return mode.toString(8).padStart(4, '0');
}

/** UTF-8 text in quotes when the bytes are printable, else 0x-hex. */
export function formatBytes(value: Buffer): string {
  const text = value.toString('utf8');
  // eslint-disable-next-line no-control-regex
  const printable = Buffer.from(text, 'utf8').equals(value) && !/[\u0000-\u001f\u007f]/.test(text);
  return printable ? JSON.stringify(text) : `0x${value.toString('hex')}`;
}

function describeEntry(entry: TreeEntry | undefined): string {
  return entry ? entry.type : ABSENT;
}

function underAny(path: string, roots: readonly string[]): boolean {
  for (let p: string | undefined = path; p !== undefined; p = parentPath(p)) if (roots.includes(p)) return true;
  return false;
}

function mtimesCompared(entry: TreeEntry, options: CompareOptions): boolean {
  const ignore = options.ignoreMtime;
  if (ignore === true) return false;
  if (options.ignoreDirMtimes && entry.type === 'dir') return false;
  return !(Array.isArray(ignore) && underAny(entry.path, ignore.map((p) => p.replace(/^\/+|\/+$/g, '') || '.')));
}

function formatMtime(entry: TreeEntry, nanoseconds: boolean): string {
  return nanoseconds ? `${entry.mtime}.${String(entry.mtimeNs).padStart(9, '0')}` : String(entry.mtime);
}

function compareXattrs(expected: TreeEntry, actual: TreeEntry, out: Difference[]): void {
  const names = [...new Set([...expected.xattrs.keys(), ...actual.xattrs.keys()])].sort();
  for (const name of names) {
    const want = expected.xattrs.get(name);
    const got = actual.xattrs.get(name);
    if (want && got && want.equals(got)) continue;
    out.push({
      path: expected.path,
      attribute: 'xattr',
      xattr: name,
      expected: want ? formatBytes(want) : ABSENT,
      actual: got ? formatBytes(got) : ABSENT,
    });
  }
}

function compareEntry(expected: TreeEntry, actual: TreeEntry, options: CompareOptions, out: Difference[], linkScope?: TreeSnapshot): void {
  const path = expected.path;
  const push = (attribute: DifferenceAttribute, want: string, got: string): void => {
    if (want !== got) out.push({ path, attribute, expected: want, actual: got });
  };
  push('type', expected.type, actual.type);
  if (expected.type !== actual.type || expected.implied) return;
  if (path === '.' && options.ignoreRoot) return;

  push('mode', formatMode(expected.mode), formatMode(actual.mode));
  push('uid', String(expected.uid), String(actual.uid));
  push('gid', String(expected.gid), String(actual.gid));
  if (expected.type === 'file') {
    push('size', String(expected.size), String(actual.size));
    // A different size already means different content; report it once.
    if (expected.size === actual.size) push('content', `sha256:${expected.sha256}`, `sha256:${actual.sha256}`);
  }
  if (expected.type === 'symlink') push('target', JSON.stringify(expected.target), JSON.stringify(actual.target));
  if (expected.type === 'char' || expected.type === 'block') {
    push('device', `${expected.major}:${expected.minor}`, `${actual.major}:${actual.minor}`);
  }
  compareXattrs(expected, actual, out);
  // In subset mode, names outside the expected tree don't count against a group.
  const actualLinks = linkScope ? actual.hardlinks.filter((p) => linkScope.has(p)) : actual.hardlinks;
  push('hardlinks', JSON.stringify(expected.hardlinks), JSON.stringify(actualLinks));
  if (mtimesCompared(expected, options)) {
    const ns = options.mtimeNanoseconds === true;
    push('mtime', formatMtime(expected, ns), formatMtime(actual, ns));
  }
}

/**
 * Every difference between `actual` and `expected`, sorted by path. For a
 * type mismatch only the type is reported; for a size mismatch not the content.
 */
export function compareTrees(actual: TreeSnapshot, expected: TreeSnapshot, options: CompareOptions = {}): Difference[] {
  const out: Difference[] = [];
  for (const want of expected.values()) {
    const got = actual.get(want.path);
    if (!got) out.push({ path: want.path, attribute: 'entry', expected: describeEntry(want), actual: ABSENT });
    else compareEntry(want, got, options, out, options.mode === 'subset' ? expected : undefined);
  }
  if (options.mode !== 'subset') {
    for (const got of actual.values()) {
      if (!expected.has(got.path)) out.push({ path: got.path, attribute: 'entry', expected: ABSENT, actual: describeEntry(got) });
    }
  }
  return out.sort((a, b) => comparePaths(a.path, b.path));
}

/** Tree order: a directory's entries right after it ('a', 'a/b', 'a-c'), the root first. */
function comparePaths(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '.' || b === '.') return a === '.' ? -1 : 1;
  const left = a.split('/');
  const right = b.split('/');
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const l = left[i] as string;
    const r = right[i] as string;
    if (l !== r) return l < r ? -1 : 1;
  }
  return left.length - right.length;
}

/** One line per difference: `path: attribute[ name]: expected X, actual Y`. */
export function formatDifferences(differences: readonly Difference[]): string {
  return differences
    .map((d) => `${d.path}: ${d.attribute}${d.xattr === undefined ? '' : ` ${d.xattr}`}: expected ${d.expected}, actual ${d.actual}`)
    .join('\n');
}
