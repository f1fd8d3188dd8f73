// The one object that owns an unpack: applies tar entries of successive layers
// into a root directory with OCI layer semantics (modelled on umoci's
// oci/layer TarExtractor). Synchronous fs calls on purpose: on tmpfs a syscall
// costs less than a thread-pool round trip, and the entries of a layer must be
// applied in order anyway. README "Layer application" has the decisions.
//
// Per layer it remembers which paths the layer wrote, so whiteouts and opaque
// markers only remove lower-layer content, in either tar order. Directory
// mtimes are restored at finish(), deepest first, after every child exists.
import { closeSync, constants, ftruncateSync, futimesSync, linkSync, lstatSync, lutimesSync, mkdirSync, openSync, readdirSync, realpathSync, rmdirSync, symlinkSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { fsextra } from '../native/fsextra.js';
import { BuilderError, asBuilderError } from '../../proto/errors.js';
import { Attributes } from './attributes.js';
import { checkDeviceNumber, currentUmask, fsTime, processIdentity, Warnings, type Identity } from './metadata.js';
import { displayName, fsPath, joinPath, normaliseEntryName, RootResolver, splitPath } from './paths.js';
import type { TarHeader, TarSink } from './tar.js';
import { LayerWrites, removeLowerChildren, removeLowerPath, removeTree, type DirEntry, type TreeOwner } from './whiteouts.js';

const WHITEOUT_PREFIX = '.wh.';
const OPAQUE_MARKER = '.wh..wh..opq';
const CREATE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW; // libuv adds O_CLOEXEC
const S_ISGID = 0o2000;
/** What an entry costs against the size cap besides its data: an inode is not free (an empty-file bomb). */
export const ENTRY_COST = 512;
const IMPLICIT_DIR_MODE = 0o755;

export interface ExtractorOptions {
  /** Cap on bytes written for the whole image (data + ENTRY_COST per entry + link targets + xattrs). */
  sizeLimit?: number;
  /** Who we run as; defaults to the process's effective ids. */
  identity?: Identity;
}

export interface ExtractStats {
  entries: number;
  /** Regular-file data bytes written. */
  bytes: number;
  syscalls: number;
  warnings: string[];
}

interface OpenFile {
  fd: number;
  full: string | Buffer;
  header: TarHeader;
  parentGid: number | undefined;
}

export class Extractor implements TarSink, TreeOwner {
  readonly root: string;
  entries = 0;
  bytes = 0;
  syscalls = 0;
  private charged = 0;
  private readonly sizeLimit: number;
  private readonly identity: Identity;
  private readonly attributes: Attributes;
  readonly resolver: RootResolver;
  readonly warnings = new Warnings();
  /** What the current layer wrote: whiteouts keep it. */
  readonly written = new LayerWrites();
  /** Directory -> mtime from its topmost entry, restored at finish(). */
  readonly dirTimes = new Map<string, number>();
  /** setgid directories -> their gid: what a new inode inside them is created with. */
  readonly setgidDirs = new Map<string, number>();
  private file: OpenFile | null = null;
  /** Name and mtime of the entry being applied (for messages and implicit directories). */
  private current = '';
  private currentMtime = 0;
  private layer = -1;

  constructor(root: string, options: ExtractorOptions = {}) {
    this.root = realpathSync(root);
    this.sizeLimit = options.sizeLimit ?? Number.POSITIVE_INFINITY;
    this.identity = options.identity ?? processIdentity();
    this.attributes = new Attributes(
      { syscall: () => this.syscalls++, charge: (bytes) => this.charge(bytes), warnings: this.warnings },
      this.identity,
      currentUmask(),
    );
    this.resolver = new RootResolver(this.root, {
      syscall: () => this.syscalls++,
      createImplicitDir: (path) => this.createImplicitDir(path),
    });
    const st = lstatSync(this.root);
    if (!st.isDirectory()) throw new BuilderError('INVALID_ARGUMENT', `root ${this.root} is not a directory`);
    if (st.mode & S_ISGID) this.setgidDirs.set('', st.gid);
    // The root's mtime is 0 unless a layer has an entry for it (as umoci does): deterministic.
    this.dirTimes.set('', 0);
  }

  /** Starts a layer: from now on whiteouts hide only what earlier layers wrote. */
  beginLayer(index: number): void {
    this.layer = index;
    this.written.clear();
  }

  endLayer(): void {
    if (this.file !== null) throw new BuilderError('INTERNAL', `layer ended inside entry ${displayName(this.current)}`);
    this.written.clear();
  }

  entry(header: TarHeader): void {
    this.entries++;
    this.current = header.name;
    this.currentMtime = header.mtime;
    try {
      this.charge(ENTRY_COST);
      this.apply(header);
    } catch (err) {
      throw this.entryError(err);
    }
  }

  data(chunk: Buffer, position: number): void {
    const file = this.file;
    if (file === null) return;
    try {
      this.charge(chunk.length);
      let done = 0;
      while (done < chunk.length) {
        this.syscalls++;
        done += writeSync(file.fd, chunk, done, chunk.length - done, position + done);
      }
      this.bytes += chunk.length;
    } catch (err) {
      throw this.entryError(err);
    }
  }

  entryEnd(): void {
    const file = this.file;
    if (file === null) return;
    try {
      this.finishFile(file);
    } catch (err) {
      throw this.entryError(err);
    } finally {
      this.file = null;
    }
  }

  /** Restores directory mtimes, deepest first, and reports what was done. */
  finish(): ExtractStats {
    const depth = (p: string): number => (p === '' ? -1 : p.split('/').length);
    const dirs = [...this.dirTimes.keys()].sort((a, b) => depth(b) - depth(a));
    for (const dir of dirs) {
      const t = fsTime(this.dirTimes.get(dir)!);
      this.syscalls++;
      lutimesSync(fsPath(this.resolver.full(dir)), t, t);
    }
    this.dirTimes.clear();
    return this.stats();
  }

  stats(): ExtractStats {
    return { entries: this.entries, bytes: this.bytes, syscalls: this.syscalls, warnings: this.warnings.list() };
  }

  /** Closes a file left open by an interrupted layer; the tree stays as far as it got. */
  abort(): void {
    if (this.file !== null) {
      closeSync(this.file.fd);
      this.file = null;
    }
  }

  // --- entries ---------------------------------------------------------------

  private apply(h: TarHeader): void {
    const path = normaliseEntryName(h.name);
    const [dir, base] = splitPath(path);
    if (base.startsWith(WHITEOUT_PREFIX)) return this.whiteout(dir, base);
    if (path === '') {
      if (h.type !== 'dir') throw new BuilderError('INVALID_LAYER', `entry for the root is a ${h.type}, not a directory`);
      return this.makeDir('', h);
    }
    const parent = this.resolver.resolveDir(dir, true)!;
    const target = joinPath(parent, base);
    switch (h.type) {
      case 'file':
        this.createFile(target, parent, h);
        break;
      case 'dir':
        this.makeDir(target, h);
        this.resolver.remember(path, target);
        break;
      case 'symlink':
        this.makeSymlink(target, parent, h);
        break;
      case 'link':
        this.makeHardlink(target, h);
        break;
      case 'char':
      case 'block':
      case 'fifo':
        this.makeNode(target, parent, h);
        break;
    }
    this.written.add(target);
  }

  private whiteout(dir: string, base: string): void {
    const parent = this.resolver.resolveDir(dir, false);
    if (base === OPAQUE_MARKER) {
      if (parent !== null) removeLowerChildren(this, parent);
      return;
    }
    const name = base.slice(WHITEOUT_PREFIX.length);
    if (name.startsWith(WHITEOUT_PREFIX)) {
      this.warnings.add('aufs-meta', displayName(joinPath(dir, base)));
      return;
    }
    if (name === '' || name === '.' || name === '..') throw new BuilderError('INVALID_LAYER', `malformed whiteout ${displayName(base)}`);
    if (parent !== null) removeLowerPath(this, joinPath(parent, name));
  }

  private createFile(path: string, parent: string, h: TarHeader): void {
    // A sparse file's holes count against the cap like the bytes they stand for: mkfs reads them.
    if (h.sparse !== null) this.charge(h.size - h.sparse.storedBytes);
    const full = fsPath(this.resolver.full(path));
    let fd: number;
    try {
      this.syscalls++;
      fd = openSync(full, CREATE_FLAGS, h.mode & 0o777);
    } catch (err) {
      if (errno(err) !== 'EEXIST') throw err;
      this.removeExisting(path);
      this.syscalls++;
      fd = openSync(full, CREATE_FLAGS, h.mode & 0o777);
    }
    this.file = { fd, full, header: h, parentGid: this.setgidDirs.get(parent) };
  }

  /** After the data (a write or truncate would drop security.capability): owner, mode, xattrs, then times. */
  private finishFile(file: OpenFile): void {
    try {
      if (file.header.sparse !== null) {
        // Data went to its offsets, so the holes are holes already; this sets a trailing hole.
        this.syscalls++;
        ftruncateSync(file.fd, file.header.size);
      }
      this.attributes.settleNew(file.full, file.fd, file.header, 'file', file.parentGid);
      this.syscalls++;
      const t = fsTime(file.header.mtime);
      futimesSync(file.fd, t, t);
    } finally {
      this.syscalls++;
      closeSync(file.fd);
    }
  }

  private makeDir(path: string, h: TarHeader): void {
    const full = fsPath(this.resolver.full(path));
    let existing: Stats | undefined;
    try {
      this.syscalls++;
      mkdirSync(full, h.mode & 0o777);
    } catch (err) {
      if (errno(err) !== 'EEXIST') throw err;
      this.syscalls++;
      existing = lstatSync(full);
      if (!existing.isDirectory()) {
        this.removeExisting(path, existing);
        existing = undefined;
        this.syscalls++;
        mkdirSync(full, h.mode & 0o777);
      }
    }
    if (existing !== undefined) this.attributes.settleMerged(full, existing, h);
    else this.attributes.settleNew(full, undefined, h, 'dir', path === '' ? undefined : this.setgidDirs.get(splitPath(path)[0]));
    if (h.mode & S_ISGID) this.setgidDirs.set(path, this.identity.privileged ? h.gid : this.identity.gid);
    else this.setgidDirs.delete(path);
    this.dirTimes.set(path, h.mtime);
  }

  private makeSymlink(path: string, parent: string, h: TarHeader): void {
    if (h.linkname === '') throw new BuilderError('INVALID_LAYER', 'symlink with an empty target');
    const full = fsPath(this.resolver.full(path));
    this.charge(h.linkname.length);
    this.create(path, () => symlinkSync(fsPath(h.linkname), full));
    this.attributes.settleNew(full, undefined, h, 'symlink', this.setgidDirs.get(parent));
    this.syscalls++;
    lutimesSync(full, fsTime(h.mtime), fsTime(h.mtime));
  }

  /** Tar hardlinks share the target's inode; the entry's own metadata fields are ignored (as GNU tar does). */
  private makeHardlink(path: string, h: TarHeader): void {
    const targetName = normaliseEntryName(h.linkname);
    if (targetName === '') throw new BuilderError('INVALID_LAYER', 'hardlink to the root directory');
    const [targetDir, targetBase] = splitPath(targetName);
    const targetParent = this.resolver.resolveDir(targetDir, false);
    const target = targetParent === null ? null : joinPath(targetParent, targetBase);
    if (target === path) return; // a link to itself: nothing to do
    const missing = (): BuilderError => new BuilderError('INVALID_LAYER', `hardlink target ${displayName(h.linkname)} does not exist in this or a lower layer`);
    if (target === null) throw missing();
    try {
      this.create(path, () => linkSync(fsPath(this.resolver.full(target)), fsPath(this.resolver.full(path))));
    } catch (err) {
      if (errno(err) === 'ENOENT') throw missing();
      if (errno(err) === 'EPERM') throw new BuilderError('INVALID_LAYER', `hardlink target ${displayName(h.linkname)} is a directory`);
      throw err;
    }
  }

  private makeNode(path: string, parent: string, h: TarHeader): void {
    if (h.type !== 'fifo') checkDeviceNumber(h.devmajor, h.devminor);
    if (h.type !== 'fifo' && !this.identity.privileged) {
      this.warnings.add('device', displayName(h.name));
      return;
    }
    const typeBits = h.type === 'fifo' ? constants.S_IFIFO : h.type === 'char' ? constants.S_IFCHR : constants.S_IFBLK;
    const full = fsPath(this.resolver.full(path));
    this.create(path, () => fsextra.mknod(full, typeBits | (h.mode & 0o777), h.devmajor, h.devminor));
    this.attributes.settleNew(full, undefined, h, 'node', this.setgidDirs.get(parent));
    this.syscalls++;
    lutimesSync(full, fsTime(h.mtime), fsTime(h.mtime));
  }

  /** Runs a create call; if the name exists, removes what is there (never writes through it) and retries. */
  private create(path: string, make: () => void): void {
    try {
      this.syscalls++;
      make();
    } catch (err) {
      if (errno(err) !== 'EEXIST') throw err;
      this.removeExisting(path);
      this.syscalls++;
      make();
    }
  }

  private createImplicitDir(path: string): void {
    const full = this.resolver.full(path);
    this.charge(ENTRY_COST);
    this.syscalls++;
    mkdirSync(fsPath(full), IMPLICIT_DIR_MODE);
    this.attributes.settleImplicitDir(full, IMPLICIT_DIR_MODE, this.setgidDirs.get(splitPath(path)[0]));
    // Deterministic: the implicit directory gets the time of the entry that needed it.
    this.dirTimes.set(path, this.currentMtime);
    this.written.add(path);
  }

  // --- removal (shared with whiteouts.ts) -----------------------------------------

  /** Removes whatever is at `path` so a new entry can take the name. */
  removeExisting(path: string, st?: Stats): void {
    const found = st ?? this.lstat(path);
    if (found === undefined) return;
    removeTree(this, path, found.isDirectory());
    if (found.isDirectory() || found.isSymbolicLink()) this.resolver.invalidate();
  }

  lstat(path: string): Stats | undefined {
    this.syscalls++;
    return lstatSync(fsPath(this.resolver.full(path)), { throwIfNoEntry: false });
  }

  unlink(path: string): void {
    this.syscalls++;
    unlinkSync(fsPath(this.resolver.full(path)));
  }

  rmdir(path: string): void {
    this.syscalls++;
    rmdirSync(fsPath(this.resolver.full(path)));
    this.dirTimes.delete(path);
    this.setgidDirs.delete(path);
  }

  readdir(path: string): DirEntry[] {
    this.syscalls++;
    return readdirSync(fsPath(this.resolver.full(path)), { encoding: 'latin1', withFileTypes: true }).map((d) => ({
      name: d.name,
      isDir: d.isDirectory(),
      isLink: d.isSymbolicLink(),
    }));
  }

  // --- bookkeeping -----------------------------------------------------------------

  private charge(bytes: number): void {
    this.charged += bytes;
    if (this.charged > this.sizeLimit) {
      throw new BuilderError('SIZE_LIMIT', `image exceeds the size limit of ${this.sizeLimit} bytes`);
    }
  }

  private entryError(err: unknown): BuilderError {
    const where = `layer ${this.layer + 1}, entry ${displayName(this.current)}`;
    if (err instanceof BuilderError) return new BuilderError(err.code, `${err.message} (${where})`, { cause: err });
    const code = errno(err);
    const fallback = code === 'ENAMETOOLONG' || code === 'ELOOP' ? 'INVALID_LAYER' : 'INTERNAL';
    const wrapped = asBuilderError(err, fallback);
    return new BuilderError(wrapped.code, `${wrapped.message} (${where})`, { cause: err });
  }
}

function errno(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}
