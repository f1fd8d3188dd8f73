// dm-verity for registered disks: `veritysetup format` (cryptsetup-bin) into a
// hash file next to the disk, its parameters in the metadata, checked with
// `veritysetup verify` both through the superblock and by the parameters alone
// (what a kernel verity table carries); a changed disk block fails the check;
// two hosts with the same disk compute the same hash file and root hash.
import { execFileSync } from 'node:child_process';
import { copyFileSync, openSync, readFileSync, rmSync, statSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseReference } from '../core/reference.js';
import { convertLocally } from '../host/orchestrate.js';
import { verifyVerity } from '../agent/engine.js';
import { verityTable } from '../core/verity.js';
import { addVerity } from '../host/prebuilt/verity.js';
import { findReadyImage, type ImageEntry } from '../host/store.js';
import { pushImage, type PushedImage } from '../testkit/fixtures/index.js';
import { APP_SPEC, readMetadata, tempStore, type TempStore } from './helpers/orchestrate.js';

const registry = inject('registryAddress');
const SBIN = { ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin` };
let image: PushedImage;
const stores: TempStore[] = [];

beforeAll(async () => {
  image = await pushImage(registry, 'verity/app', APP_SPEC, { tag: 'v1' });
});
afterAll(async () => {
  for (const temp of stores) await temp.remove();
});

async function registeredEntry(): Promise<{ temp: TempStore; entry: ImageEntry }> {
  const temp = await tempStore('verity-store-');
  stores.push(temp);
  const result = await convertLocally({ reference: image.reference, store: temp.store, registry: { insecure: true } });
  return { temp, entry: result.entry };
}

function veritysetup(args: string[]): { status: number; output: string } {
  try {
    return { status: 0, output: execFileSync('veritysetup', args, { encoding: 'utf8', env: SBIN, stdio: ['ignore', 'pipe', 'pipe'] }) };
  } catch (err) {
    const failure = err as { status: number; stderr: string };
    return { status: failure.status, output: failure.stderr };
  }
}

describe('addVerity', () => {
  let temp: TempStore;
  let entry: ImageEntry;
  let withVerity: ImageEntry;
  beforeAll(async () => {
    ({ temp, entry } = await registeredEntry());
    withVerity = await addVerity(temp.store, entry);
  });

  it('writes the hash file next to the disk and records what a VMM needs in the metadata', async () => {
    const verity = withVerity.verity!;
    const hashPath = join(withVerity.dir, 'rootfs.erofs.verity');
    expect(verity).toMatchObject({
      hashFile: 'rootfs.erofs.verity',
      hashFileSizeBytes: statSync(hashPath).size,
      hashAlgorithm: 'sha256',
      dataBlockSize: 4096,
      hashBlockSize: 4096,
      dataBlocks: entry.sizeBytes / 4096,
      hashOffset: 4096,
      hashType: 1,
      // The salt is the disk's sha256: the same disk gets the same tree on every host.
      salt: entry.sha256.slice('sha256:'.length),
      veritysetupVersion: expect.stringMatching(/^\d+\.\d+/) as unknown,
    });
    expect(verity.rootHash).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(hashPath).mode & 0o777).toBe(0o644);
    expect((await readMetadata(withVerity.dir)).verity).toEqual(verity);
    // The disk itself is untouched.
    expect(withVerity.sha256).toBe(entry.sha256);
    expect(statSync(withVerity.diskPath).size).toBe(entry.sizeBytes);
  });

  it('veritysetup verify passes, through the superblock and by the recorded parameters alone', async () => {
    const hashPath = join(withVerity.dir, withVerity.verity!.hashFile);
    expect(veritysetup(['verify', withVerity.diskPath, hashPath, withVerity.verity!.rootHash])).toMatchObject({ status: 0 });
    await verifyVerity(withVerity.diskPath, hashPath, withVerity.verity!);
  });

  it('the verity table line carries everything: veritysetup verify with only its fields passes', () => {
    const table = verityTable(withVerity.verity!, '/dev/vda', '/dev/vdb').split(' ');
    // dm-verity.rst: start length verity <version> <data_dev> <hash_dev> <data_block_size> <hash_block_size> <num_data_blocks> <hash_start_block> <algorithm> <digest> <salt>
    const [start, sectors, target, version, dataDev, hashDev, dataBlockSize, hashBlockSize, dataBlocks, hashStartBlock, algorithm, digest, salt] = table;
    expect([start, target, dataDev, hashDev]).toEqual(['0', 'verity', '/dev/vda', '/dev/vdb']);
    expect(Number(sectors)).toBe(entry.sizeBytes / 512);
    const hashPath = join(withVerity.dir, withVerity.verity!.hashFile);
    const run = veritysetup([
      'verify',
      withVerity.diskPath,
      hashPath,
      digest!,
      '--no-superblock',
      `--format=${version}`,
      `--data-block-size=${dataBlockSize}`,
      `--hash-block-size=${hashBlockSize}`,
      `--data-blocks=${dataBlocks}`,
      `--hash-offset=${Number(hashStartBlock) * Number(hashBlockSize)}`,
      `--hash=${algorithm}`,
      `--salt=${salt}`,
    ]);
    expect(run).toMatchObject({ status: 0 });
  });

  it('a disk with one changed block fails verification (DIGEST_MISMATCH)', async () => {
    const copy = join(temp.dir, 'changed.erofs');
    copyFileSync(withVerity.diskPath, copy);
    const fd = openSync(copy, 'r+');
    try {
      const at = Math.floor(entry.sizeBytes / 2);
      writeSync(fd, Buffer.from([readFileSync(copy)[at]! ^ 0xff]), 0, 1, at);
    } finally {
      closeSync(fd);
    }
    const hashPath = join(withVerity.dir, withVerity.verity!.hashFile);
    await expect(verifyVerity(copy, hashPath, withVerity.verity!)).rejects.toMatchObject({ code: 'DIGEST_MISMATCH' });
    expect(veritysetup(['verify', copy, hashPath, withVerity.verity!.rootHash]).status).not.toBe(0);
  });

  it('an entry that has its hash tree is returned as it is', async () => {
    const before = readFileSync(join(withVerity.dir, 'metadata.json'), 'utf8');
    expect(await addVerity(temp.store, withVerity)).toEqual(withVerity);
    expect(readFileSync(join(withVerity.dir, 'metadata.json'), 'utf8')).toBe(before);
  });

  it('two hosts with the same disk compute the same hash file and root hash', async () => {
    const other = await registeredEntry();
    const otherVerity = await addVerity(other.temp.store, other.entry);
    expect(otherVerity.sha256).toBe(withVerity.sha256);
    expect(otherVerity.verity?.rootHash).toBe(withVerity.verity?.rootHash);
    expect(readFileSync(join(otherVerity.dir, 'rootfs.erofs.verity')).equals(readFileSync(join(withVerity.dir, 'rootfs.erofs.verity')))).toBe(true);
  });

  it('an entry whose hash file is gone is not ready (a reader never trusts metadata alone)', async () => {
    const { temp: lost, entry: lostEntry } = await registeredEntry();
    const verified = await addVerity(lost.store, lostEntry);
    rmSync(join(verified.dir, 'rootfs.erofs.verity'));
    expect(await findReadyImage(lost.store, parseReference(image.reference), image.manifest.digest)).toBeUndefined();
  });
});
