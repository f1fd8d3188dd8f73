import { createRequire } from 'node:module';

/** Linux calls missing from node:fs; see fsextra.c. All synchronous, all on the link itself. */
export interface FsExtra {
  lsetxattr(path: string, name: string, value: Buffer): void;
  lgetxattr(path: string, name: string): Buffer;
  llistxattr(path: string): string[];
  /** mode includes the file type bits (S_IFCHR, S_IFBLK, S_IFIFO). */
  mknod(path: string, mode: number, major: number, minor: number): void;
}

const require = createRequire(import.meta.url);

export const fsextra: FsExtra = require('./build/Release/fsextra.node') as FsExtra;
