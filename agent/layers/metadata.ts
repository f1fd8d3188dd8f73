// Metadata helpers for the extractor: xattrs from PAX records, the process
// identity and umask (to skip chown/chmod calls that would change nothing),
// and the warnings kept when something cannot be reproduced.
import { readFileSync } from 'node:fs';
import { BuilderError } from '../../proto/errors.js';

const SCHILY_XATTR = 'SCHILY.xattr.';
const LIBARCHIVE_XATTR = 'LIBARCHIVE.xattr.';
const SCHILY_ACL = 'SCHILY.acl.';

export interface PaxMetadata {
  /** xattr name (byte string) -> value. */
  xattrs: Map<string, Buffer> | null;
  /** Text ACL records (GNU tar/star --acls) that have no xattr form here. */
  textAcls: number;
}

/**
 * xattrs from `SCHILY.xattr.NAME=<raw bytes>` (GNU tar, Go's archive/tar, Docker,
 * buildah) and `LIBARCHIVE.xattr.NAME=<base64>` with NAME %-encoded (bsdtar).
 * Values are byte strings (tar.ts), so binary values survive.
 */
export function paxMetadata(pax: Map<string, string> | null): PaxMetadata {
  if (pax === null) return { xattrs: null, textAcls: 0 };
  let xattrs: Map<string, Buffer> | null = null;
  let textAcls = 0;
  for (const [key, value] of pax) {
    if (key.startsWith(SCHILY_XATTR)) {
      (xattrs ??= new Map()).set(key.slice(SCHILY_XATTR.length), Buffer.from(value, 'latin1'));
    } else if (key.startsWith(LIBARCHIVE_XATTR)) {
      (xattrs ??= new Map()).set(decodePercent(key.slice(LIBARCHIVE_XATTR.length)), Buffer.from(value, 'base64'));
    } else if (key.startsWith(SCHILY_ACL)) {
      textAcls++;
    }
  }
  if (xattrs !== null) xattrs.delete('');
  return { xattrs, textAcls };
}

/** %XX-decoding to a byte string (libarchive escapes xattr names this way). */
function decodePercent(text: string): string {
  return text.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The process umask from /proc (reading it with process.umask() would briefly change it). */
export function currentUmask(): number | null {
  try {
    const match = /^Umask:\s*([0-7]+)$/m.exec(readFileSync('/proc/self/status', 'latin1'));
    return match ? parseInt(match[1]!, 8) : null;
  } catch {
    return null;
  }
}

/**
 * A time in seconds as node:fs must get it: a negative number is silently replaced
 * with "now" there, a Date is not, so times before 1970 (which EROFS keeps) stay exact.
 */
export function fsTime(seconds: number): number | Date {
  return seconds < 0 ? new Date(seconds * 1000) : seconds;
}

/** mknod(2) takes a 32-bit dev_t (12-bit major, 20-bit minor): anything bigger would be EINVAL, so it is a layer fault. */
export function checkDeviceNumber(major: number, minor: number): void {
  if (major > 0xfff || minor > 0xfffff) throw new BuilderError('INVALID_LAYER', `device number ${major}:${minor} does not fit Linux's 12-bit major, 20-bit minor`);
}

export interface Identity {
  uid: number;
  gid: number;
  /** Whether chown, device nodes and privileged xattrs can be expected to work. */
  privileged: boolean;
}

export function processIdentity(): Identity {
  const uid = process.geteuid?.() ?? -1;
  const gid = process.getegid?.() ?? -1;
  return { uid, gid, privileged: uid === 0 };
}

export type WarningKind = 'ownership' | 'device' | 'xattr' | 'acl' | 'aufs-meta';

const WARNING_TEXT: Record<WarningKind, string> = {
  ownership: 'ownership not kept (not running as root): entries stay owned by the current user',
  device: 'device nodes not created (not running as root)',
  xattr: 'extended attributes could not be set',
  acl: 'text ACL records (SCHILY.acl.*) not applied: only ACLs stored as system.posix_acl_* xattrs are kept',
  'aufs-meta': 'AUFS metadata entries (.wh..wh.*) skipped',
};

/** One warning per kind, with a count and the first example, so nothing is dropped silently. */
export class Warnings {
  private readonly kinds = new Map<WarningKind, { count: number; example: string }>();

  add(kind: WarningKind, example: string): void {
    const seen = this.kinds.get(kind);
    if (seen) seen.count++;
    else this.kinds.set(kind, { count: 1, example });
  }

  count(kind: WarningKind): number {
    return this.kinds.get(kind)?.count ?? 0;
  }

  list(): string[] {
    return [...this.kinds].map(([kind, { count, example }]) => `${WARNING_TEXT[kind]}: ${count} (first: ${example})`);
  }
}
