// Builds the EROFS disk: mkfs.erofs straight into the output directory with the
// build time and UUID taken from the image (so the same image gives a
// byte-identical disk), then padding and sha256 in one read pass. 1.8+ sets
// both itself (-T with --mkfs-time, -U); 1.5's -T would overwrite every file's
// mtime, so there they are patched into the superblock after mkfs.
import { availableParallelism } from 'node:os';
import { open, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { BuilderError } from '../../proto/errors.js';
import { padAndHash } from './align.js';
import { compressionArgs, formatCompression, parseCompression } from './compression.js';
import { uuidFromDigest } from './identity.js';
import { writeDiskFile, type DiskBuildResult } from './output.js';
import { probeErofsUtils, type ErofsUtilsInfo } from './probe.js';
import { describeExit, lastLines, runTool, toolFailure } from './run.js';
import { readErofsSuperblock, rewriteErofsSuperblock, SUPERBLOCK_READ_BYTES, type SuperblockIdentity } from './superblock.js';

/** Always 4 KiB: the default is the build machine's page size (64 KiB on some arm64), which a 4 KiB-page guest kernel cannot mount. */
const BLOCK_SIZE = 4096;

export interface ErofsBuildOptions {
  /** The image's manifest digest: the filesystem UUID is derived from it. */
  manifestDigest: string;
  /** Superblock build time in seconds (the image's created time, see buildTimeFromCreated); default 0. */
  buildTime?: number;
  /** "lz4" (default), "lz4hc[,level]", "none", or another compressor the tool lists. */
  compression?: string;
  /** Compression threads where the tool supports --workers (1.8+); default: all CPUs. */
  workers?: number;
  signal?: AbortSignal;
  /** The mkfs.erofs to run; default "mkfs.erofs" from PATH (plus sbin). */
  mkfsCommand?: string;
  /**
   * Check the finished image with fsck.erofs (metadata walk, ~50 ms for a
   * 370 MB image); default true. It catches images mkfs writes corrupt, e.g.
   * 1.5 with a 64 KiB xattr value (its 16-bit length field wraps to 0).
   */
  verify?: boolean;
  onLog?: (line: string) => void;
}


/**
 * Runs mkfs.erofs on `sourceDir` and leaves the disk at `outputFile`.
 * Failures: MKFS_FAILED (with the tool's last stderr lines), NO_SPACE when the
 * output filesystem filled up, CANCELLED (or the abort reason) when `signal`
 * fires; in every case no file is left in the output directory.
 */
export async function buildErofs(source: string, outputFile: string, options: ErofsBuildOptions): Promise<DiskBuildResult> {
  const sourceDir = resolve(source); // absolute: never read as an option by the tool
  const info = await probeErofsUtils(options.mkfsCommand);
  const compression = parseCompression(options.compression, info);
  const identity: SuperblockIdentity = { uuid: uuidFromDigest(options.manifestDigest), buildTime: options.buildTime ?? 0 };
  const sourceStat = await stat(sourceDir).catch(() => undefined);
  if (!sourceStat?.isDirectory()) throw new BuilderError('INVALID_ARGUMENT', `source ${sourceDir} is not a directory`);

  return writeDiskFile(outputFile, async (temp) => {
    const args = [...erofsOptionArgs(info, identity, options), ...compressionArgs(compression), temp, sourceDir];
    const result = await runTool(info.command, args, {
      signal: options.signal,
      // SOURCE_DATE_EPOCH would make 1.5 clamp every file's mtime (see superblock.ts).
      env: { SOURCE_DATE_EPOCH: undefined },
    });
    if (result.code !== 0) throw toolFailure(`mkfs.erofs ${info.version}`, describeExit(result), result.stderr);
    const { size, sha256 } = await finishErofsImage(temp, info, identity, async () => {
      if (options.verify !== false) await fsckErofs(info, temp, options);
    }, options.signal);
    return {
      path: resolve(outputFile),
      format: 'erofs' as const,
      size,
      sha256,
      uuid: identity.uuid,
      tool: `mkfs.erofs ${info.version}`,
      args,
      compression: formatCompression(compression),
    };
  });
}

/** Whether mkfs.erofs sets the build time without touching file mtimes, and the UUID (1.8+): then the superblock is left as written. */
function toolSetsIdentity(info: ErofsUtilsInfo): boolean {
  return info.mkfsTime && info.uuid;
}

function erofsOptionArgs(info: ErofsUtilsInfo, identity: SuperblockIdentity, options: ErofsBuildOptions): string[] {
  const args: string[] = [];
  if (info.quiet) args.push('--quiet');
  if (info.blockSize) args.push(`-b${BLOCK_SIZE}`);
  // A compact inode has no mtime of its own (it reads the build time): mkfs uses one only where the two agree.
  if (toolSetsIdentity(info)) args.push(`-T${identity.buildTime}`, '--mkfs-time');
  // Every inode keeps its own mtime, so the build time rewritten later is no file's time.
  else if (info.extendedOptions) args.push('-Eforce-inode-extended');
  if (info.uuid) args.push(`-U${identity.uuid}`);
  if (info.workers) args.push(`--workers=${Math.max(1, options.workers ?? availableParallelism())}`);
  return args;
}

/**
 * Gives the image its identity (checked when mkfs set it, patched into the
 * superblock otherwise), runs `check`, then pads and hashes (the first block
 * hashed from memory).
 */
async function finishErofsImage(
  path: string,
  info: ErofsUtilsInfo,
  identity: SuperblockIdentity,
  check: () => Promise<void>,
  signal?: AbortSignal,
): Promise<{ size: number; sha256: string }> {
  const handle = await open(path, 'r+');
  try {
    let head = Buffer.alloc(SUPERBLOCK_READ_BYTES);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    head = head.subarray(0, bytesRead);
    const superblock = readErofsSuperblock(head);
    const blockSize = 2 ** superblock.blockSizeBits;
    if (blockSize > head.length) {
      head = Buffer.alloc(blockSize);
      head = head.subarray(0, (await handle.read(head, 0, blockSize, 0)).bytesRead);
    }
    if (toolSetsIdentity(info)) {
      const written = `build time ${superblock.buildTime}.${superblock.buildTimeNsec}, UUID ${superblock.uuid}`;
      if (written !== `build time ${identity.buildTime}.0, UUID ${identity.uuid}`) {
        throw new BuilderError('MKFS_FAILED', `mkfs.erofs ${info.version} ignored -T/-U: the superblock says ${written}`);
      }
    } else {
      rewriteErofsSuperblock(head, identity);
      await handle.write(head, 0, head.length, 0);
    }
    await check();
    return await padAndHash(handle, { head, signal });
  } finally {
    await handle.close();
  }
}

/** fsck.erofs next to the mkfs.erofs in use; a missing fsck.erofs skips the check with a log line. */
async function fsckErofs(info: ErofsUtilsInfo, image: string, options: ErofsBuildOptions): Promise<void> {
  const command = info.command.includes('/') ? join(dirname(info.command), 'fsck.erofs') : 'fsck.erofs';
  let result;
  try {
    result = await runTool(command, [image], { signal: options.signal });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    options.onLog?.(`erofs: ${command} not installed; image not checked`);
    return;
  }
  if (result.code !== 0) {
    throw new BuilderError('MKFS_FAILED', `mkfs.erofs ${info.version} wrote an image fsck.erofs rejects (${describeExit(result)}): ${lastLines(result.stderr)}`);
  }
}
