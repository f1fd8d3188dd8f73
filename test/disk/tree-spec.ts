// The source tree both disk formats are built from and must mount back as:
// every entry type, special mode bits, big ids, owners on symlinks, xattrs
// (security.capability, binary, one too big for an ext4 inode), a hardlink
// pair, a long symlink target, compressible text and incompressible data.
import type { ExpectedEntry } from '../../testkit/fixtures/spec.js';

// VFS_CAP_REVISION_2 | effective, permitted = CAP_NET_BIND_SERVICE: what `setcap cap_net_bind_service+ep` writes.
export const CAPABILITY = Buffer.from('0100000200040000000000000000000000000000', 'hex');
/** 880 kB that LZ4 shrinks to a few kB. */
export const TEXT = 'the quick brown fox jumps over the lazy dog\n'.repeat(20_000);

export const DISK_TREE: ExpectedEntry[] = [
  { type: 'dir', path: '/', mode: 0o750, uid: 7, gid: 8, mtime: 1_600_000_000 },
  { type: 'file', path: 'etc/text', content: TEXT, mtime: 1_650_000_000 },
  { type: 'file', path: 'usr/bin/su', content: { size: 200_000, seed: 3 }, mode: 0o4755 },
  { type: 'file', path: 'usr/bin/ping', content: 'ping', xattrs: { 'security.capability': CAPABILITY, 'user.note': 'hi', 'trusted.t': Buffer.from([0, 9]) } },
  { type: 'file', path: 'usr/share/big-xattr', content: 'x', xattrs: { 'user.blob': Buffer.alloc(600, 0x62) } },
  { type: 'symlink', path: 'bin', target: 'usr/bin' },
  { type: 'symlink', path: 'etc/long-link', target: `/${'long/'.repeat(20)}target`, uid: 1234, gid: 5678 },
  { type: 'dir', path: 'tmp', mode: 0o1777 },
  { type: 'file', path: 'data/a', content: TEXT.slice(0, 50_000), mtime: 1_700_000_123 },
  { type: 'hardlink', path: 'data/b', target: 'data/a' },
  { type: 'char', path: 'dev/null', major: 1, minor: 3, mode: 0o666 },
  { type: 'block', path: 'dev/nvme', major: 259, minor: 300_000, mode: 0o660, gid: 6 },
  { type: 'fifo', path: 'run/fifo', mode: 0o600 },
  { type: 'dir', path: 'home/user', mode: 0o700, uid: 100_000, gid: 100_000 },
];
