// Shared by the layer engine's test files: a work area on tmpfs (like the
// agent's) with a canary next to the root, fixture images as LayerBlobs, and
// tree comparison with the verifier.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { expect } from 'vitest';
import { applyLayers, type ApplyOptions, type ApplyResult } from '../../agent/layers/apply.js';
import type { LayerBlob } from '../../agent/oci/types.js';
import { BuilderError } from '../../proto/errors.js';
import { buildImage, type BuiltImage, type ExpectedEntry, type ImageSpec } from '../../testkit/fixtures/index.js';
import { compareTrees, expectedTreeFromSpec, formatDifferences, snapshotTree, type CompareOptions, type TreeSnapshot } from '../../testkit/verify/index.js';

/** tmpfs, like the agent's work area, when the machine has it. */
const SCRATCH = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();

export interface Work {
  /** The directory holding `root` and `canary`. */
  base: string;
  /** Where layers are applied. */
  root: string;
  /** A directory outside the root that no layer may touch. */
  canary: string;
  /** The canary's state before anything ran. */
  canaryBefore: TreeSnapshot;
}

const works: string[] = [];

export async function makeWork(label: string): Promise<Work> {
  const base = mkdtempSync(join(SCRATCH, `layers-${label}-`));
  works.push(base);
  const root = join(base, 'root');
  const canary = join(base, 'canary');
  mkdirSync(root);
  mkdirSync(join(canary, 'etc'), { recursive: true });
  writeFileSync(join(canary, 'canary.txt'), 'outside the root: never touched\n');
  writeFileSync(join(canary, 'etc', 'passwd'), 'host passwd\n');
  return { base, root, canary, canaryBefore: await snapshotTree(canary) };
}

/** Removes every work area made so far (call in afterAll/afterEach). */
export function removeWorks(): void {
  for (const base of works.splice(0)) rmSync(base, { recursive: true, force: true });
}

/** Asserts nothing outside the root changed: the canary tree is as it was and nothing new sits next to the root. */
export async function expectCanaryUntouched(work: Work): Promise<void> {
  expect(readdirSync(work.base).sort()).toEqual(['canary', 'root']);
  expect(formatDifferences(compareTrees(await snapshotTree(work.canary), work.canaryBefore))).toBe('');
}

/** The layers of a built image as the registry client hands them out (streams of the stored bytes). */
export function layerBlobs(image: BuiltImage): LayerBlob[] {
  const diffIds = image.config.json.rootfs?.diff_ids ?? [];
  return image.layers.map((layer, index) => ({
    index,
    descriptor: { digest: layer.digest, mediaType: layer.mediaType, size: layer.size, diffId: diffIds[index]!, compression: layer.compression },
    stream: Readable.from(split(layer.bytes)),
  }));
}

/** 64 KiB pieces, so the engine sees a stream and not one buffer. */
function split(bytes: Buffer): Buffer[] {
  const pieces: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 65536) pieces.push(bytes.subarray(i, i + 65536));
  return pieces;
}

export function applyImage(spec: ImageSpec, root: string, options: ApplyOptions = {}): Promise<ApplyResult> {
  return applyLayers(root, layerBlobs(buildImage(spec)), options);
}

/** Applies and returns the BuilderError it must fail with. */
export async function applyFailure(spec: ImageSpec, root: string, options: ApplyOptions = {}): Promise<BuilderError> {
  try {
    await applyImage(spec, root, options);
  } catch (err) {
    expect(err).toBeInstanceOf(BuilderError);
    return err as BuilderError;
  }
  throw new Error('applying the image succeeded, but it must fail');
}

/** Applies `spec` into the work area's root and compares the result with `expected`. */
export async function expectApplied(work: Work, spec: ImageSpec, expected: readonly ExpectedEntry[], options: CompareOptions = {}): Promise<ApplyResult> {
  const result = await applyImage(spec, work.root);
  await expectTree(work.root, expected, options);
  return result;
}

/** Compares the root with the expected entries; every listed attribute must match and nothing else may exist. */
export async function expectTree(root: string, expected: readonly ExpectedEntry[], options: CompareOptions = {}): Promise<void> {
  const differences = compareTrees(await snapshotTree(root), expectedTreeFromSpec(expected), options);
  expect(formatDifferences(differences)).toBe('');
}
