// dm-verity as this project lays it out, and what a VMM needs to set up the
// target: the parameters, and the device-mapper table line they make
// (kernel Documentation/admin-guide/device-mapper/verity.rst). The hash tree
// lives in its own file next to the disk, so the disk keeps its bytes (its
// sha256, its registry blob). Layout: sha256, 4096-byte data and hash blocks,
// hash format 1, a verity superblock in the hash file's first block and the
// tree after it (hash_start_block 1); salt and superblock UUID come from the
// disk's sha256, so every host with the same disk has the same tree.

export const VERITY_LAYOUT = { hashAlgorithm: 'sha256', dataBlockSize: 4096, hashBlockSize: 4096, hashType: 1 } as const;
/** The superblock takes the first hash block; the tree follows it. */
export const VERITY_HASH_OFFSET = VERITY_LAYOUT.hashBlockSize;

/** Everything the kernel's verity target is given, besides the two devices. */
export interface VerityParameters {
  /** Hex. */
  rootHash: string;
  /** Hex. */
  salt: string;
  hashAlgorithm: string;
  dataBlockSize: number;
  hashBlockSize: number;
  dataBlocks: number;
  /** Byte offset of the tree in the hash file (after the superblock); hash_start_block = hashOffset / hashBlockSize. */
  hashOffset: number;
  /** Hash format (1: normal). */
  hashType: number;
}

export const VERITY_PARAMETER_KEYS = ['rootHash', 'salt', 'hashAlgorithm', 'dataBlockSize', 'hashBlockSize', 'dataBlocks', 'hashOffset', 'hashType'] as const;

/**
 * The table line of the verity target for a VMM that attaches the disk as
 * `dataDevice` and the hash file as `hashDevice`, e.g. on the kernel command line
 * as dm-mod.create="root,,,ro,<table>".
 */
export function verityTable(verity: VerityParameters, dataDevice: string, hashDevice: string): string {
  const sectors = (verity.dataBlocks * verity.dataBlockSize) / 512;
  return [
    0,
    sectors,
    'verity',
    verity.hashType,
    dataDevice,
    hashDevice,
    verity.dataBlockSize,
    verity.hashBlockSize,
    verity.dataBlocks,
    verity.hashOffset / verity.hashBlockSize,
    verity.hashAlgorithm,
    verity.rootHash,
    verity.salt,
  ].join(' ');
}

/** The verity parameters of something that carries more (an entry's metadata). */
export function verityParameters(verity: VerityParameters): VerityParameters {
  return Object.fromEntries(VERITY_PARAMETER_KEYS.map((key) => [key, verity[key]])) as unknown as VerityParameters;
}
