// The images the E2E benchmark and the demo convert, each cached once as an OCI
// layout outside the repository and pushed to a local registry with skopeo:
//   debian       Debian 12 minbase + three buildah layers (scripts/cache-debian-minbase.sh)
//   debian-zstd  the same image with its layers recompressed to zstd by skopeo
//   many-files   ~58k entries, 426 MB of tar, four layers, from the fixture builder (many-files.ts)
// Every artefact is built under a temporary name and renamed into place.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { buildImage } from '../../testkit/fixtures/index.js';
import { readLayout, writeLayout } from '../oci-layout.js';
import { MANY_FILES_RECIPE, manyFilesSpec } from './many-files.js';

const run = promisify(execFile);

export const IMAGE_NAMES = ['debian', 'many-files', 'debian-zstd'] as const;
export type ImageName = (typeof IMAGE_NAMES)[number];

export interface CachedImage {
  name: ImageName;
  /** One line for the report. */
  what: string;
  layout: string;
  tag: string;
}

const TAG = 'latest';
const REPO_ROOT = join(import.meta.dirname, '..', '..', '..');

export function cacheDir(): string {
  return process.env.EROFS_BUILDER_CACHE ?? '/var/cache/erofs-builder';
}

/** Builds (once) and returns the cached layout of `name`. */
export async function cachedImage(name: ImageName, log: (line: string) => void = () => undefined): Promise<CachedImage> {
  const cache = cacheDir();
  switch (name) {
    case 'debian':
      ensureDebianCache();
      return { name, what: 'Debian 12 minbase + 3 buildah layers (gzip)', layout: join(cache, 'realistic-oci'), tag: TAG };
    case 'debian-zstd': {
      const source = join(cache, 'realistic-oci');
      ensureDebianCache();
      const layout = join(cache, 'debian-zstd-oci');
      const marker = `from-${readLayout(source, TAG).manifestDigest.slice('sha256:'.length)}`;
      await cached(layout, marker, log, 'recompressing the Debian image to zstd', async (tmp) => {
        await run('skopeo', ['copy', '--quiet', '--dest-compress', '--dest-compress-format', 'zstd', `oci:${source}:${TAG}`, `oci:${tmp}:${TAG}`]);
      });
      return { name, what: 'the Debian image with zstd layers', layout, tag: TAG };
    }
    case 'many-files': {
      const layout = join(cache, 'many-files-oci');
      await cached(layout, `recipe-${MANY_FILES_RECIPE}`, log, 'generating the many-files image (~20 s, once)', (tmp) => {
        writeLayout(tmp, TAG, buildImage(manyFilesSpec()));
        return Promise.resolve();
      });
      return { name, what: '~58k entries, 426 MB of tar, 4 gzip layers (fixture builder)', layout, tag: TAG };
    }
  }
}

/** The Debian cache (debootstrap + buildah; needs deb.debian.org the first time). */
export function ensureDebianCache(): void {
  execFileSync('bash', [join(REPO_ROOT, 'scripts', 'cache-debian-minbase.sh')], { stdio: ['ignore', 'inherit', 'inherit'] });
}

async function cached(layout: string, marker: string, log: (line: string) => void, what: string, build: (tmp: string) => Promise<void>): Promise<void> {
  if (existsSync(join(layout, marker))) return;
  mkdirSync(dirname(layout), { recursive: true });
  log(`cache: ${what}`);
  const work = mkdtempSync(`${layout}.tmp-`);
  try {
    const tmp = join(work, 'oci');
    await build(tmp);
    writeFileSync(join(tmp, marker), '');
    rmSync(layout, { recursive: true, force: true });
    renameSync(tmp, layout);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Pushes a cached layout to `registry` (plain http) as `repository:latest`; returns the reference. */
export async function pushLayout(image: Pick<CachedImage, 'layout' | 'tag'>, registry: string, repository: string): Promise<string> {
  const reference = `${registry}/${repository}:${image.tag}`;
  await run('skopeo', ['copy', '--quiet', '--dest-tls-verify=false', `oci:${image.layout}:${image.tag}`, `docker://${reference}`]);
  return reference;
}
