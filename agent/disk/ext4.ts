// Builds an ext4 disk for kernels without EROFS: `mkfs.ext4 -d` into a sparse
// file sized by the model in ext4size.ts (grown and retried once when the
// tree does not fit), then a debugfs pass that gives the root directory the
// source's mode and times and drops the lost+found mkfs adds, so a mount
// shows the source tree. Reproducible: UUID and directory hash seed from the
// manifest digest, every filesystem timestamp from E2FSPROGS_FAKE_TIME.
// (e2fsprogs 1.47.0 ignores SOURCE_DATE_EPOCH; measured.)
import { lstat, open } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { BuilderError } from '../../proto/errors.js';
import { padAndHash } from './align.js';
import { ext4SizeFor, grownExt4Size, type Ext4Size } from './ext4size.js';
import { uuidFromDigest } from './identity.js';
import { writeDiskFile, type DiskBuildResult } from './output.js';
import { probeExt4Tools } from './probe.js';
import { describeExit, lastLines, runTool, toolFailure } from './run.js';
import { collectTreeStats } from './treestats.js';

/** Explicit feature list ("none" first): the same image whatever the host's mke2fs.conf says. No resize inode: the disk is never grown. */
const FEATURES = 'none,sparse_super,large_file,filetype,dir_index,ext_attr,extent,huge_file,flex_bg,metadata_csum,64bit,dir_nlink,extra_isize';
/** mke2fs messages that mean "the image is too small for the tree" (as opposed to the output filesystem being full). */
const DOES_NOT_FIT = /could not allocate (block|inode)|no free space in the directory|inode.*out of range|not enough space to build proposed filesystem/i;

export interface Ext4BuildOptions {
  manifestDigest: string;
  /** Seconds; every filesystem timestamp mkfs writes (0 becomes 1: e2fsprogs reads 0 as "unset"). */
  buildTime?: number;
  /** Add a journal (4 or 16 MiB, see ext4size.ts); default off (the root is mounted read-only). */
  journal?: boolean;
  signal?: AbortSignal;
  /** Progress notes (the sizing, a retry with its numbers). */
  onLog?: (line: string) => void;
  /** Size and inode count instead of the model's (the retry still grows it). */
  size?: Ext4Size;
  mkfsCommand?: string;
}

export async function buildExt4(source: string, outputFile: string, options: Ext4BuildOptions): Promise<DiskBuildResult> {
  const sourceDir = resolve(source); // absolute: never read as an option by the tool
  const info = await probeExt4Tools(options.mkfsCommand);
  const uuid = uuidFromDigest(options.manifestDigest);
  const root = await lstat(sourceDir).catch(() => undefined);
  if (!root?.isDirectory()) throw new BuilderError('INVALID_ARGUMENT', `source ${sourceDir} is not a directory`);
  const stats = await collectTreeStats(sourceDir, options.signal);
  const log = options.onLog ?? (() => undefined);
  const env = { E2FSPROGS_FAKE_TIME: String(Math.max(1, options.buildTime ?? 0)) };

  return writeDiskFile(outputFile, async (temp) => {
    let size = options.size ?? ext4SizeFor(stats, { journal: options.journal });
    log(`ext4: ${stats.inodes} inodes, ${stats.dataBlocks} data blocks, ${stats.directoryBlocks} directory blocks: image ${size.bytes} bytes, ${size.inodes} inodes`);
    let args = mkfsArgs(sourceDir, temp, size, uuid, `${root.uid}:${root.gid}`);
    for (let attempt = 1; ; attempt++) {
      await createSparseFile(temp, size.bytes);
      const result = await runTool(info.command, args, { signal: options.signal, env });
      if (result.code === 0) break;
      if (attempt === 1 && DOES_NOT_FIT.test(result.stderr)) {
        const grown = grownExt4Size(size);
        log(`ext4: tree did not fit in ${size.bytes} bytes / ${size.inodes} inodes (${lastLines(result.stderr, 1)}); retrying with ${grown.bytes} bytes / ${grown.inodes} inodes`);
        size = grown;
        args = mkfsArgs(sourceDir, temp, size, uuid, `${root.uid}:${root.gid}`);
        continue;
      }
      throw toolFailure(`mke2fs ${info.version}`, describeExit(result), result.stderr);
    }
    await tidyRoot(temp, sourceDir, root, env, options.signal);
    const { size: bytes, sha256 } = await padAndHash(temp, { signal: options.signal });
    return { path: resolve(outputFile), format: 'ext4' as const, size: bytes, sha256, uuid, tool: `mke2fs ${info.version}`, args, compression: 'none' };
  });
}

function mkfsArgs(source: string, image: string, size: Ext4Size, uuid: string, owner: string): string[] {
  const journal = (size.journalBytes ?? 0) > 0;
  const extended = `lazy_itable_init=1,lazy_journal_init=1,nodiscard,root_owner=${owner},hash_seed=${uuid}`;
  return [
    '-q', '-F',
    '-b', '4096', '-I', '256',
    '-N', String(size.inodes),
    '-m', '0',
    '-O', journal ? `${FEATURES},has_journal` : FEATURES,
    ...(journal ? ['-J', `size=${Math.ceil((size.journalBytes ?? 0) / (1024 * 1024))}`] : []),
    '-U', uuid,
    '-E', extended,
    '-d', source,
    image,
  ];
}

async function createSparseFile(path: string, bytes: number): Promise<void> {
  const handle = await open(path, 'w');
  try {
    await handle.truncate(bytes);
  } finally {
    await handle.close();
  }
}

/**
 * mkfs.ext4 -d leaves the root directory with mode 0755 and the fake build
 * time, and adds lost+found; set the source's mode and mtime (also as atime
 * and ctime: reading the tree moves the source's atime) and remove lost+found
 * unless the source has one.
 */
async function tidyRoot(image: string, sourceDir: string, root: import('node:fs').Stats, env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<void> {
  const seconds = Math.floor(root.mtimeMs / 1000);
  const commands = [
    `sif / mode 0${root.mode.toString(8)}`,
    `sif / mtime @${seconds}`,
    `sif / atime @${seconds}`,
    `sif / ctime @${seconds}`,
  ];
  const ownLostFound = await lstat(join(sourceDir, 'lost+found')).then(() => true, () => false);
  if (!ownLostFound) commands.unshift('rmdir lost+found');
  const result = await runTool('debugfs', ['-w', '-f', '-', image], { signal, env, input: `${commands.join('\n')}\n` });
  const complaints = result.stderr.split('\n').filter((line) => line.trim() && !/^debugfs \d/.test(line));
  if (result.code !== 0 || complaints.length > 0) {
    throw new BuilderError('MKFS_FAILED', `debugfs could not set the root directory (${describeExit(result)}): ${lastLines(complaints.join('\n'))}`);
  }
}
