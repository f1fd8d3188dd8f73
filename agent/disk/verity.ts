// `veritysetup` (Debian cryptsetup-bin) for a disk: format a hash file with the
// layout of core/verity.ts, and verify a disk against it by the parameters alone.
import { stat } from 'node:fs/promises';
import { VERITY_HASH_OFFSET, VERITY_LAYOUT, type VerityParameters } from '../../core/verity.js';
import { BuilderError } from '../../proto/errors.js';
import { uuidFromDigest } from './identity.js';
import { describeExit, runTool, toolFailure, type RunResult } from './run.js';

const VERITYSETUP = 'veritysetup';

export interface FormattedVerity extends VerityParameters {
  hashFileSizeBytes: number;
  veritysetupVersion: string;
}

/** `veritysetup format` of `diskPath` into `hashPath` (a new file), with the salt and UUID of `diskSha256`. */
export async function formatVerity(diskPath: string, hashPath: string, diskSha256: string, signal?: AbortSignal): Promise<FormattedVerity> {
  const salt = /^sha256:([0-9a-f]{64})$/.exec(diskSha256)?.[1];
  if (salt === undefined) throw new BuilderError('INVALID_ARGUMENT', `disk sha256 ${JSON.stringify(diskSha256)} is not sha256:<64 hex>`);
  const result = await veritysetup(
    [
      'format',
      diskPath,
      hashPath,
      `--hash=${VERITY_LAYOUT.hashAlgorithm}`,
      `--data-block-size=${VERITY_LAYOUT.dataBlockSize}`,
      `--hash-block-size=${VERITY_LAYOUT.hashBlockSize}`,
      `--format=${VERITY_LAYOUT.hashType}`,
      `--salt=${salt}`,
      `--uuid=${uuidFromDigest(diskSha256)}`,
    ],
    signal,
  );
  const field = (name: string): string => {
    const value = new RegExp(`^${name}:\\s*(\\S+)`, 'm').exec(result.stdout)?.[1];
    if (value === undefined) throw new BuilderError('MKFS_FAILED', `veritysetup format printed no "${name}": ${result.stdout.slice(0, 300)}`);
    return value;
  };
  const rootHash = field('Root hash');
  if (!/^[0-9a-f]{64}$/.test(rootHash)) throw new BuilderError('MKFS_FAILED', `veritysetup format printed a malformed root hash ${JSON.stringify(rootHash)}`);
  return {
    rootHash,
    salt,
    ...VERITY_LAYOUT,
    dataBlocks: Number(field('Data blocks')),
    hashOffset: VERITY_HASH_OFFSET,
    hashFileSizeBytes: (await stat(hashPath)).size,
    veritysetupVersion: await veritysetupVersion(signal),
  };
}

/**
 * `veritysetup verify` of the disk against its hash file by the parameters alone
 * (no superblock read: exactly what a kernel verity table carries). Resolves when
 * every block checks out; DIGEST_MISMATCH otherwise.
 */
export async function verifyVerity(diskPath: string, hashPath: string, verity: VerityParameters, signal?: AbortSignal): Promise<void> {
  const result = await runVeritysetup(
    [
      'verify',
      diskPath,
      hashPath,
      verity.rootHash,
      '--no-superblock',
      `--hash-offset=${verity.hashOffset}`,
      `--hash=${verity.hashAlgorithm}`,
      `--data-block-size=${verity.dataBlockSize}`,
      `--hash-block-size=${verity.hashBlockSize}`,
      `--data-blocks=${verity.dataBlocks}`,
      `--format=${verity.hashType}`,
      `--salt=${verity.salt}`,
    ],
    signal,
  );
  if (result.code !== 0) throw new BuilderError('DIGEST_MISMATCH', `veritysetup verify of ${diskPath} failed (${describeExit(result)}): ${result.stderr.trim().slice(0, 500)}`);
}

async function veritysetupVersion(signal?: AbortSignal): Promise<string> {
  const result = await veritysetup(['--version'], signal);
  return /veritysetup\s+(\S+)/.exec(result.stdout)?.[1] ?? 'unknown';
}

async function veritysetup(args: string[], signal?: AbortSignal): Promise<RunResult> {
  const result = await runVeritysetup(args, signal);
  if (result.code !== 0) throw toolFailure(`veritysetup ${args[0]}`, describeExit(result), result.stderr);
  return result;
}

async function runVeritysetup(args: string[], signal?: AbortSignal): Promise<RunResult> {
  try {
    return await runTool(VERITYSETUP, args, { captureStdout: true, ...(signal !== undefined && { signal }) });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new BuilderError('UNSUPPORTED_FORMAT', 'veritysetup is not installed (Debian: cryptsetup-bin; scripts/setup-system.sh installs it)');
    }
    throw err;
  }
}
