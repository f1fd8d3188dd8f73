// The whole pipeline (convertImage: resolve, pull, apply, mkfs) fed layers that
// lie, from a real registry: the conversion fails with the stable code, and
// nothing derived from the bad bytes is kept (no disk, no partial file, no work
// area), even though the layers before the bad one were applied.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertImage } from '../agent/convert.js';
import { expectNoWorkArea } from './agent/support.js';
import { corruptStoredBlob, pushImage, type ImageSpec, type LayerSpec } from '../testkit/fixtures/index.js';
import { startRegistry, type TestRegistry } from '../testkit/registry/index.js';

const GOOD: LayerSpec = { entries: [{ type: 'file', path: 'etc/good', content: { size: 3 << 20, seed: 11 } }] };
const data = (seed: number): LayerSpec['entries'] => [{ type: 'file', path: `srv/data-${seed}`, content: { size: 2 << 20, seed } }];

// Its own registry: corrupting a stored blob would affect every repository sharing it.
let registry: TestRegistry;
let dir: string;
beforeAll(async () => {
  registry = await startRegistry();
  dir = await mkdtemp(join(tmpdir(), 'convert-untrusted-'));
});
afterAll(async () => {
  await registry.stop();
  await rm(dir, { recursive: true, force: true });
});

async function convertFails(repository: string, spec: ImageSpec, edit?: (image: Awaited<ReturnType<typeof pushImage>>) => void): Promise<string | undefined> {
  const image = await pushImage(registry.address, repository, spec);
  edit?.(image);
  const out = await mkdtemp(join(dir, 'out-'));
  const error = await convertImage({ reference: image.reference, registry: { insecure: true, retries: 0 }, outputPath: join(out, 'disk.erofs'), workDir: dir }).then(
    () => undefined,
    (err: unknown) => err as { code?: string },
  );
  expect(await readdir(out)).toEqual([]);
  await expectNoWorkArea(dir);
  return error?.code;
}

describe('convertImage with layers that do not match their digests', () => {
  it('a layer blob corrupted in registry storage: DIGEST_MISMATCH, nothing kept', async () => {
    const code = await convertFails('untrusted/corrupt', { layers: [GOOD, { entries: data(1), compression: 'none' }] }, (image) =>
      corruptStoredBlob(registry, image.layers[1]!.digest),
    );
    expect(code).toBe('DIGEST_MISMATCH');
  });

  it('a layer whose tar does not match its diff_id: DIGEST_MISMATCH, nothing kept', async () => {
    expect(await convertFails('untrusted/diff-id', { layers: [GOOD, { entries: data(2), compression: 'zstd', fault: { kind: 'wrong-diff-id' } }] })).toBe('DIGEST_MISMATCH');
  });

  it('a truncated gzip layer (its digest matches the cut bytes): TRUNCATED, nothing kept', async () => {
    expect(await convertFails('untrusted/truncated', { layers: [GOOD, { entries: data(3), fault: { kind: 'truncated' } }] })).toBe('TRUNCATED');
  });

  it('the same image without the fault converts (the failures above are the faults)', async () => {
    // Another seed: the corrupted blob above is stored once for every repository.
    const image = await pushImage(registry.address, 'untrusted/clean', { layers: [GOOD, { entries: data(4), compression: 'none' }] });
    const out = await mkdtemp(join(dir, 'out-'));
    const result = await convertImage({ reference: image.reference, registry: { insecure: true, retries: 0 }, outputPath: join(out, 'disk.erofs'), workDir: dir });
    expect(result.manifestDigest).toBe(image.manifest.digest);
    expect(await readdir(out)).toEqual(['disk.erofs']);
    await expectNoWorkArea(dir);
  });
});
