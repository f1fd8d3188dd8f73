import { createRequire } from 'node:module';

/**
 * Linux calls missing from node:fs; see fsextra.c. All synchronous, all on the link itself.
 * Paths and names are strings (UTF-8) or Buffers of raw bytes (names that are not UTF-8).
 */
export interface FsExtra {
  lsetxattr(path: string | Buffer, name: string | Buffer, value: Buffer): void;
  lgetxattr(path: string | Buffer, name: string | Buffer): Buffer;
  llistxattr(path: string | Buffer): string[];
  lremovexattr(path: string | Buffer, name: string | Buffer): void;
  /** mode includes the file type bits (S_IFCHR, S_IFBLK, S_IFIFO). */
  mknod(path: string | Buffer, mode: number, major: number, minor: number): void;
}

const require = createRequire(import.meta.url);

export const fsextra: FsExtra = require('./build/Release/fsextra.node') as FsExtra;
