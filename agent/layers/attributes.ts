// Owner, mode and xattrs of an inode the extractor just created (or a
// directory it merged into), with as few syscalls as give the exact result:
// - a new inode belongs to our euid and our egid, or the parent's gid when the
//   parent is setgid: chown only when the entry wants something else;
// - the create call got mode & 0o777 and the umask took its bits: chmod only
//   for setuid/setgid/sticky, bits the umask removed, or a setgid bit a new
//   directory inherited;
// - order: chown first (it clears setuid/setgid), then chmod, then xattrs
//   (for files after the data: a write drops security.capability).
import { chmodSync, fchmodSync, fchownSync, lchownSync, type Stats } from 'node:fs';
import { fsextra } from '../native/fsextra.js';
import { paxMetadata, type Identity, type Warnings } from './metadata.js';
import { displayName, fsPath } from './paths.js';
import type { TarHeader } from './tar.js';

const SPECIAL_BITS = 0o7000;

export type InodeKind = 'file' | 'dir' | 'symlink' | 'node';

export interface AttributeHost {
  syscall(): void;
  /** Counts bytes against the image's size cap (xattr values). */
  charge(bytes: number): void;
  readonly warnings: Warnings;
}

export class Attributes {
  constructor(
    private readonly host: AttributeHost,
    readonly identity: Identity,
    private readonly umask: number | null,
  ) {}

  /**
   * Settles a new inode: `fd` when the file is open (fchown/fchmod), else the path
   * (lchown/chmod; chmod follows symlinks, so never for a symlink, and the path's
   * last component is what we just created). `parentGid` is set when the parent is setgid.
   */
  settleNew(full: string | Buffer, fd: number | undefined, h: TarHeader, kind: InodeKind, parentGid: number | undefined): void {
    const gidAtCreation = parentGid ?? this.identity.gid;
    let chowned = false;
    if (h.uid !== this.identity.uid || h.gid !== gidAtCreation) {
      if (this.identity.privileged) {
        this.chown(full, fd, h.uid, h.gid);
        chowned = true;
      } else {
        this.ownershipNotKept(h);
      }
    }
    if (kind !== 'symlink' && (chowned || this.needsChmod(h.mode, kind === 'dir' && parentGid !== undefined))) {
      this.host.syscall();
      if (fd !== undefined) fchmodSync(fd, h.mode);
      else chmodSync(full, h.mode);
    }
    this.setXattrs(full, h, false);
  }

  /** A directory entry over an existing directory: children stay, metadata becomes the entry's. */
  settleMerged(full: string | Buffer, existing: Stats, h: TarHeader): void {
    let chowned = false;
    if (existing.uid !== h.uid || existing.gid !== h.gid) {
      if (this.identity.privileged) {
        this.chown(full, undefined, h.uid, h.gid);
        chowned = true;
      } else {
        this.ownershipNotKept(h);
      }
    }
    if ((existing.mode & 0o7777) !== h.mode || (chowned && h.mode & SPECIAL_BITS)) {
      this.host.syscall();
      chmodSync(full, h.mode);
    }
    this.setXattrs(full, h, true);
  }

  /** Owner and mode of a directory the extractor makes up for a missing parent: root:root 0755 (as Docker). */
  settleImplicitDir(full: string, mode: number, parentGid: number | undefined): void {
    if (this.identity.privileged && (this.identity.uid !== 0 || (parentGid ?? this.identity.gid) !== 0)) this.chown(full, undefined, 0, 0);
    if (this.needsChmod(mode, parentGid !== undefined)) {
      this.host.syscall();
      chmodSync(full, mode);
    }
  }

  private chown(full: string | Buffer, fd: number | undefined, uid: number, gid: number): void {
    this.host.syscall();
    if (fd !== undefined) fchownSync(fd, uid, gid);
    else lchownSync(full, uid, gid);
  }

  private needsChmod(mode: number, inheritsSetgid: boolean): boolean {
    if (mode & SPECIAL_BITS || inheritsSetgid) return true;
    return this.umask === null || (mode & this.umask) !== 0;
  }

  private ownershipNotKept(h: TarHeader): void {
    if (h.uid !== this.identity.uid || h.gid !== this.identity.gid) this.host.warnings.add('ownership', `${displayName(h.name)} ${h.uid}:${h.gid}`);
  }

  /** Sets the entry's xattrs; with `replace`, also removes those the entry does not carry. */
  private setXattrs(full: string | Buffer, h: TarHeader, replace: boolean): void {
    const { xattrs, textAcls } = paxMetadata(h.pax);
    if (textAcls > 0) this.host.warnings.add('acl', displayName(h.name));
    if (replace) {
      this.host.syscall();
      for (const name of fsextra.llistxattr(full)) {
        if (xattrs?.has(name)) continue;
        this.host.syscall();
        fsextra.lremovexattr(full, name);
      }
    }
    if (xattrs === null) return;
    for (const [name, value] of xattrs) {
      this.host.charge(value.length);
      try {
        this.host.syscall();
        fsextra.lsetxattr(full, fsPath(name), value);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? String(err);
        this.host.warnings.add('xattr', `${displayName(h.name)} ${displayName(name)}: ${code}`);
      }
    }
  }
}
