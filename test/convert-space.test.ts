// The pipeline's space checks against images they used to refuse although the
// disk fits: layers that expand far beyond any fixed ratio, and upper layers
// that delete what lower layers added (so the compressed sizes over-count).
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { convertImage } from '../agent/convert.js';
import { estimateDiskBytes } from '../agent/disk/estimate.js';
import { expectNoWorkArea } from './agent/support.js';
import { createScratch, listDir, type Scratch } from './disk/scratch.js';
import { pushImage } from '../testkit/fixtures/index.js';
import { mountUnavailableReason, withMountedErofs } from '../testkit/verify/index.js';

const registry = inject('registryAddress');
const CACHE = process.env.EROFS_BUILDER_CACHE ?? '/var/cache/erofs-builder';
const MiB = 1024 * 1024;
const unavailable = mountUnavailableReason();

describe.skipIf(unavailable !== undefined)('space checks with images that fit', () => {
  let scratch: Scratch;
  beforeAll(async () => {
    scratch = await createScratch('convert-space');
  });
  afterAll(async () => {
    await scratch?.dispose();
  });

  it('converts 272 MiB of zeros from a gzip layer of a few hundred KB (the tmpfs was sized 4x the layer + 256 MiB)', async () => {
    const zeros = 272 * MiB;
    const pushed = await pushImage(registry, 'space/zeros', { layers: [{ entries: [{ type: 'file', path: 'var/lib/db/preallocated', content: Buffer.alloc(zeros) }] }] });
    const out = await scratch.subdir('zeros-out');
    const result = await convertImage({ reference: pushed.reference, registry: { insecure: true }, outputPath: join(out, 'zeros.erofs'), workDir: scratch.dir });
    expect(result.image.layers[0]!.size).toBeLessThan(zeros / 256);
    expect(result.treeBytes).toBe(zeros);
    const size = await withMountedErofs(result.outputPath, (mountpoint) => statSync(join(mountpoint, 'var/lib/db/preallocated')).size);
    expect(size).toBe(zeros);
    await expectNoWorkArea(scratch.dir);
  });

  describe('the realistic image (Debian 12 minbase + buildah layers)', () => {
    const reference = `${registry}/space/debian:latest`;
    beforeAll(() => {
      // Idempotent: a no-op when the cache exists; builds it (~1-3 min) on a clean machine.
      execFileSync('bash', [join(import.meta.dirname, '..', 'scripts', 'cache-debian-minbase.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
      execFileSync('skopeo', ['copy', '--quiet', '--dest-tls-verify=false', `oci:${join(CACHE, 'realistic-oci')}:latest`, `docker://${reference}`]);
    }, 600_000);

    it('converts into a volume that holds its disk but not the whole estimate, with a warning', async () => {
      const volumeBytes = 72 * MiB;
      const volume = await scratch.tmpfs('debian-out', volumeBytes);
      const warnings: string[] = [];
      const result = await convertImage({
        reference,
        registry: { insecure: true },
        outputPath: join(volume, 'debian.erofs'),
        workDir: scratch.dir,
        onLog: (level, message) => level === 'warn' && warnings.push(message),
      });
      // The upper layers delete files: the sum of the layers over-counts the disk.
      expect(estimateDiskBytes(result.image.layers, 'erofs')).toBeGreaterThan(volumeBytes);
      expect(result.sizeBytes).toBeLessThan(volumeBytes);
      expect(warnings.join('\n')).toMatch(/may not fit/);
      expect(await listDir(volume)).toEqual(['debian.erofs']);
    });
  });
});
