// Specs shared by several layer test files: every entry type with exact
// metadata, and the tree it must give.
import type { EntrySpec, ExpectedEntry } from '../../testkit/fixtures/index.js';

export const T1 = 1_600_000_000;
// v2 file capability "cap_setuid,cap_net_raw=ep": its permitted mask has the byte 0x80.
export const CAP = Buffer.from('0100000280200000000000000000000000000000', 'hex');

export const everyType: EntrySpec[] = [
  { type: 'dir', path: 'bin', mode: 0o755, mtime: T1 },
  { type: 'file', path: 'bin/su', content: 'su', mode: 0o4755 },
  { type: 'file', path: 'bin/wall', content: 'wall', mode: 0o2755, gid: 5 },
  { type: 'file', path: 'bin/ping', content: 'ping', mode: 0o755, xattrs: { 'security.capability': CAP } },
  { type: 'hardlink', path: 'bin/su-again', target: 'bin/su' },
  { type: 'dir', path: 'tmp', mode: 0o1777 },
  { type: 'dir', path: 'srv/shared', mode: 0o2775, uid: 1000, gid: 50 },
  { type: 'file', path: 'srv/shared/inherits', content: 'i', uid: 1000, gid: 50 },
  { type: 'file', path: 'srv/shared/root-group', content: 'r', gid: 0 },
  { type: 'dir', path: 'srv/shared/plain-dir', mode: 0o755 },
  { type: 'fifo', path: 'srv/shared/fifo', mode: 0o640, gid: 0 },
  { type: 'file', path: 'home/user/data', content: { size: 200_000, seed: 1 }, mode: 0o640, uid: 1000, gid: 1000, mtime: 1_234_567_890, xattrs: { 'user.comment': 'hello', 'trusted.bin': Buffer.from([0, 1, 2, 255]) } },
  { type: 'file', path: 'modes/none', mode: 0o000 },
  { type: 'file', path: 'modes/all', content: 'a', mode: 0o777 },
  { type: 'file', path: 'modes/group-write', content: 'g', mode: 0o664 },
  { type: 'file', path: 'modes/everything', content: 'e', mode: 0o7777 },
  { type: 'symlink', path: 'links/absolute', target: '/etc/passwd' },
  { type: 'symlink', path: 'links/relative', target: '../bin/su' },
  { type: 'symlink', path: 'links/dangling', target: 'nowhere/at/all' },
  { type: 'symlink', path: 'links/owned', target: 'x', uid: 7, gid: 8, mtime: 1_500_000_000, xattrs: { 'trusted.on-link': 'yes' } },
  { type: 'char', path: 'dev/null', major: 1, minor: 3, mode: 0o666 },
  { type: 'block', path: 'dev/sda', major: 8, minor: 0, mode: 0o660, gid: 6 },
  { type: 'char', path: 'dev/big-numbers', major: 511, minor: 1_048_575, mode: 0o600 },
  { type: 'fifo', path: 'run/fifo', mode: 0o600, uid: 33, gid: 33 },
];

// What the tree must look like: the same entries, hardlink as a group, and the
// directories the layer never named (implicit: 0755 root, the mtime of the entry that needed them).
export const everyTypeExpected: ExpectedEntry[] = [
  ...(everyType as ExpectedEntry[]),
  { type: 'dir', path: 'srv', mtime: 1_700_000_000 },
  { type: 'dir', path: 'home', mtime: 1_234_567_890 },
  { type: 'dir', path: 'home/user', mtime: 1_234_567_890 },
  { type: 'dir', path: 'modes', mtime: 1_700_000_000 },
  { type: 'dir', path: 'links', mtime: 1_700_000_000 },
  { type: 'dir', path: 'dev', mtime: 1_700_000_000 },
  { type: 'dir', path: 'run', mtime: 1_700_000_000 },
];
