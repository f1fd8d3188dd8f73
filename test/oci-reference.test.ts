// Reference parsing, platform normalisation and the index pick, without a registry.
import { describe, expect, it } from 'vitest';
import { hostPlatform, normalizePlatform, parsePlatform, platformRank } from '../core/platform.js';
import { formatReference, manifestRef, parseReference } from '../core/reference.js';
import { pickManifest } from '../agent/oci/resolve.js';
import type { ImageIndex } from '../agent/oci/manifest.js';
import { thrown } from './oci/helpers.js';

const DIGEST = `sha256:${'ab'.repeat(32)}`;

describe('parseReference', () => {
  it.each([
    ['127.0.0.1:5000/app:v1', { registry: '127.0.0.1:5000', repository: 'app', tag: 'v1' }],
    ['registry.internal:5000/team/app', { registry: 'registry.internal:5000', repository: 'team/app', tag: 'latest' }],
    [`localhost:5000/a/b/c@${DIGEST}`, { registry: 'localhost:5000', repository: 'a/b/c', digest: DIGEST }],
    [`localhost/app:v2@${DIGEST}`, { registry: 'localhost', repository: 'app', tag: 'v2', digest: DIGEST }],
    ['[::1]:5000/app:1.0', { registry: '[::1]:5000', repository: 'app', tag: '1.0' }],
    ['alpine', { registry: 'docker.io', repository: 'library/alpine', tag: 'latest' }],
    ['alpine:3.19', { registry: 'docker.io', repository: 'library/alpine', tag: '3.19' }],
    ['bitnami/redis', { registry: 'docker.io', repository: 'bitnami/redis', tag: 'latest' }],
    ['index.docker.io/ubuntu', { registry: 'docker.io', repository: 'library/ubuntu', tag: 'latest' }],
    ['my-registry.example.com/a_b/c__d/e---f.g:T_1.x-y', { registry: 'my-registry.example.com', repository: 'a_b/c__d/e---f.g', tag: 'T_1.x-y' }],
  ])('%s', (input, expected) => {
    expect(parseReference(input)).toEqual(expected);
  });

  it('the digest wins over the tag when both are given; the formatted reference keeps both', () => {
    const ref = parseReference(`127.0.0.1:5000/app:v1@${DIGEST}`);
    expect(manifestRef(ref)).toBe(DIGEST);
    expect(formatReference(ref)).toBe(`127.0.0.1:5000/app:v1@${DIGEST}`);
    expect(manifestRef(parseReference('127.0.0.1:5000/app:v1'))).toBe('v1');
  });

  it.each([
    ['', /empty/],
    ['-rf', /starts with "-"/],
    ['--insecure', /starts with "-"/],
    ['app :v1', /whitespace/],
    ['app:v1\n', /whitespace/],
    ['127.0.0.1:5000/App:v1', /must be lowercase/],
    ['127.0.0.1:5000/app:-bad', /tag "-bad"/],
    [`127.0.0.1:5000/app:${'x'.repeat(129)}`, /tag/],
    ['127.0.0.1:5000/app@sha256:abc', /64 lowercase hex/],
    [`127.0.0.1:5000/app@sha256:${'AB'.repeat(32)}`, /64 lowercase hex/],
    [`127.0.0.1:5000/app@sha512:${'ab'.repeat(64)}`, /"sha512" is not supported/],
    [`127.0.0.1:5000/app@${DIGEST}@${DIGEST}`, /digest/],
    ['127.0.0.1:5000/', /path component ""/],
    ['127.0.0.1:5000//app', /path component ""/],
    ['127.0.0.1:5000/a..b', /path component "a..b"/],
    ['bad_host:5000/app', /registry "bad_host:5000"/],
    [`registry.example/${'a'.repeat(260)}`, /longer than 255/],
  ])('rejects %j with INVALID_REFERENCE', (input, message) => {
    const error = thrown(() => parseReference(input));
    expect(error.code).toBe('INVALID_REFERENCE');
    expect(error.message).toMatch(message);
  });
});

describe('platforms', () => {
  it('normalises names as containerd does', () => {
    expect(normalizePlatform({ os: 'Linux', architecture: 'x86_64' })).toEqual({ os: 'linux', architecture: 'amd64' });
    expect(normalizePlatform({ os: 'linux', architecture: 'aarch64', variant: 'v8' })).toEqual({ os: 'linux', architecture: 'arm64' });
    expect(normalizePlatform({ os: 'linux', architecture: 'arm' })).toEqual({ os: 'linux', architecture: 'arm', variant: 'v7' });
    expect(normalizePlatform({ os: 'linux', architecture: 'armel' })).toEqual({ os: 'linux', architecture: 'arm', variant: 'v6' });
    expect(parsePlatform('linux/arm64/8')).toEqual({ os: 'linux', architecture: 'arm64' });
    expect(() => parsePlatform('linux')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => parsePlatform('linux/amd64/v2/x')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it("maps this process's arch to the OCI name", () => {
    const expected: Record<string, string> = { x64: 'amd64', arm64: 'arm64', ia32: '386' };
    expect(hostPlatform().os).toBe('linux');
    if (expected[process.arch] !== undefined) expect(hostPlatform().architecture).toBe(expected[process.arch]);
  });

  it('ranks exact matches first, lower arm variants after, everything else not at all', () => {
    const v7 = { os: 'linux', architecture: 'arm', variant: 'v7' };
    expect(platformRank(v7, v7)).toBe(0);
    expect(platformRank(v7, { os: 'linux', architecture: 'arm', variant: 'v6' })).toBe(1);
    expect(platformRank(v7, { os: 'linux', architecture: 'arm', variant: 'v8' })).toBeUndefined();
    expect(platformRank({ os: 'linux', architecture: 'arm64' }, { os: 'linux', architecture: 'arm', variant: 'v7' })).toBeUndefined();
    expect(platformRank({ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'amd64', variant: 'v3' })).toBeUndefined();
    expect(platformRank({ os: 'linux', architecture: 'amd64' }, { os: 'windows', architecture: 'amd64' })).toBeUndefined();
  });

  it('pickManifest skips nested indexes and attestations, prefers platformed entries over unplatformed ones', () => {
    const entry = (n: number, mediaType: string, platform?: { os: string; architecture: string; variant?: string }) => ({
      mediaType,
      digest: `sha256:${String(n).repeat(64).slice(0, 64)}`,
      size: n,
      ...(platform && { platform }),
    });
    const OCI = 'application/vnd.oci.image.manifest.v1+json';
    const index: ImageIndex = {
      kind: 'index',
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        entry(1, 'application/vnd.oci.image.index.v1+json', { os: 'linux', architecture: 'amd64' }),
        entry(2, OCI),
        entry(3, OCI, { os: 'unknown', architecture: 'unknown' }),
        entry(4, OCI, { os: 'linux', architecture: 'amd64' }),
      ],
    };
    expect(pickManifest(index, { os: 'linux', architecture: 'amd64' }, 'index').size).toBe(4);
    expect(pickManifest(index, { os: 'linux', architecture: 's390x' }, 'index').size).toBe(2);
    const platformedOnly: ImageIndex = { ...index, manifests: [index.manifests[0], index.manifests[2], index.manifests[3]].filter((m) => m !== undefined) };
    const error = thrown(() => pickManifest(platformedOnly, { os: 'linux', architecture: 's390x' }, 'index'));
    expect(error.code).toBe('PLATFORM_NOT_FOUND');
    expect(error.message).toMatch(/available: linux\/amd64$/);
  });
});
