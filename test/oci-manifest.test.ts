// Manifest and config parsing on hand-written JSON: what decides the media
// type, and the shapes that are refused before anything is fetched.
import { describe, expect, it } from 'vitest';
import { parseImageConfig, parseManifest } from '../agent/oci/manifest.js';
import { thrown } from './oci/helpers.js';

const DIGEST = `sha256:${'cd'.repeat(32)}`;
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));
const manifest = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  schemaVersion: 2,
  config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: DIGEST, size: 10 },
  layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: DIGEST, size: 20 }],
  ...extra,
});
function expectRefused(fn: () => unknown, code: string, message: RegExp): void {
  const error = thrown(fn);
  expect(error.code).toBe(code);
  expect(error.message).toMatch(message);
}

describe('parseManifest', () => {
  it('takes the media type from Content-Type, else from the body, else from the shape', () => {
    expect(parseManifest(json(manifest()), `${OCI_MANIFEST}; charset=utf-8`, 'm')).toMatchObject({ kind: 'manifest', mediaType: OCI_MANIFEST });
    expect(parseManifest(json(manifest({ mediaType: DOCKER_MANIFEST })), 'application/octet-stream', 'm')).toMatchObject({ kind: 'manifest', mediaType: DOCKER_MANIFEST });
    expect(parseManifest(json(manifest()), undefined, 'm')).toMatchObject({ kind: 'manifest', mediaType: OCI_MANIFEST });
    expect(parseManifest(json({ schemaVersion: 2, manifests: [] }), 'application/json', 'i')).toMatchObject({ kind: 'index', mediaType: OCI_INDEX });
  });

  it('refuses a body whose mediaType contradicts the Content-Type, and a manifest shaped like an index', () => {
    expectRefused(() => parseManifest(json(manifest({ mediaType: DOCKER_MANIFEST })), OCI_MANIFEST, 'm'), 'MANIFEST_INVALID', /served as .* but its mediaType says/);
    expectRefused(() => parseManifest(json({ schemaVersion: 2, manifests: [] }), OCI_MANIFEST, 'm'), 'MANIFEST_INVALID', /without a "layers" array/);
    expectRefused(() => parseManifest(json({ ...manifest(), manifests: [] }), OCI_INDEX, 'm'), 'MANIFEST_INVALID', /must not have "config"/);
  });

  it('refuses schema 1, unknown manifest types, non-JSON and bad descriptors', () => {
    expectRefused(() => parseManifest(json({ schemaVersion: 1, fsLayers: [] }), 'application/vnd.docker.distribution.manifest.v1+prettyjws', 'm'), 'UNSUPPORTED_MEDIA_TYPE', /schema 1/);
    expectRefused(() => parseManifest(json(manifest()), 'application/vnd.oci.artifact.manifest.v1+json', 'm'), 'UNSUPPORTED_MEDIA_TYPE', /artifact/);
    expectRefused(() => parseManifest(Buffer.from('{"schemaVersion":2,'), OCI_MANIFEST, 'm'), 'MANIFEST_INVALID', /not valid JSON/);
    expectRefused(() => parseManifest(json([1, 2]), OCI_MANIFEST, 'm'), 'MANIFEST_INVALID', /not a JSON object/);
    expectRefused(() => parseManifest(json(manifest({ layers: [{ mediaType: 'x', digest: 'sha256:1234', size: 1 }] })), OCI_MANIFEST, 'm'), 'MANIFEST_INVALID', /layers\[0\].*digest/);
    expectRefused(() => parseManifest(json(manifest({ layers: [{ mediaType: 'x', digest: DIGEST, size: -1 }] })), OCI_MANIFEST, 'm'), 'MANIFEST_INVALID', /size -1/);
    expectRefused(() => parseManifest(json({ schemaVersion: 2, manifests: [{ mediaType: OCI_MANIFEST, digest: DIGEST, size: 1, platform: { os: 'linux' } }] }), OCI_INDEX, 'i'), 'MANIFEST_INVALID', /platform needs/);
  });
});

describe('parseImageConfig', () => {
  const config = (extra: Record<string, unknown>): Buffer => json({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [DIGEST] }, ...extra });

  it('keeps the runtime config for registration; a null config counts as none', () => {
    const runtime = { Entrypoint: null, Cmd: ['sh'], Env: ['A=1'], WorkingDir: '/', User: 'root', ExposedPorts: { '80/tcp': {} }, Labels: { a: 'b' } };
    expect(parseImageConfig(config({ config: runtime }), 'c').config).toEqual(runtime);
    expect(parseImageConfig(config({ config: null }), 'c').config).toBeUndefined();
  });

  it('refuses wrong types in the fields a disk registration uses, and a missing or bad rootfs', () => {
    expectRefused(() => parseImageConfig(config({ config: { Env: 'A=1' } }), 'c'), 'MANIFEST_INVALID', /config.Env/);
    expectRefused(() => parseImageConfig(config({ config: { Labels: { a: 1 } } }), 'c'), 'MANIFEST_INVALID', /config.Labels/);
    expectRefused(() => parseImageConfig(config({ rootfs: undefined }), 'c'), 'MANIFEST_INVALID', /no "rootfs"/);
    expectRefused(() => parseImageConfig(config({ rootfs: { type: 'layers', diff_ids: ['md5:x'] } }), 'c'), 'MANIFEST_INVALID', /diff_ids\[0\]/);
    expectRefused(() => parseImageConfig(config({ os: 5 }), 'c'), 'MANIFEST_INVALID', /"os"/);
  });
});
