// Every way the fast path can fail ends in a ready image from the host-side
// conversion (the real pipeline on the host), with source "host" and the fast
// path's error recorded as the reason; with fallback "none" that error is the
// result. The faults: nothing listening, junk bytes, silence, a conversion that
// outlives its timeout, an agent Error, and a malicious guest (see
// serve-lying-agent.mjs and fake-agent.ts for why those are test doubles).
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { convertAndRegister, convertLocally, type ConvertAndRegisterOptions } from '../host/orchestrate.js';
import { listImages } from '../host/store.js';
import { pushImage, type PushedImage } from '../testkit/fixtures/index.js';
import { servedAgentFixture, AGENT_CLI } from './helpers/agent-process.js';
import { rejection } from './helpers/expect-error.js';
import { startFakeAgent, type FakeAgent, type FakeAgentBehaviour } from './helpers/fake-agent.js';
import { makeExt4Volume, sha256File } from './helpers/host-disks.js';
import { APP_RUNTIME, APP_SPEC, expectAppTree, readMetadata, withTempStore } from './helpers/orchestrate.js';

const LYING_AGENT = resolve(import.meta.dirname, 'helpers/serve-lying-agent.mjs');
const registry = inject('registryAddress');
const NOBODY_LISTENS = 'unix:/nonexistent/erofs-builder-agent.sock';
/** A varint length prefix longer than 5 bytes: not a frame. */
const JUNK = Buffer.alloc(16, 0xff);
let image: PushedImage;
let work: string;
let volume: string;

beforeAll(async () => {
  image = await pushImage(registry, 'orchestrate/fallback', APP_SPEC, { tag: 'v1' });
  work = await mkdtemp(join(tmpdir(), 'orchestrate-fallback-'));
  volume = join(work, 'volume');
  await mkdir(volume);
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

function baseOptions(overrides: Partial<ConvertAndRegisterOptions>): Omit<ConvertAndRegisterOptions, 'store'> {
  return { reference: image.reference, agent: NOBODY_LISTENS, volume, registry: { insecure: true }, connect: { attempts: 2, backoffMs: 10 }, ...overrides };
}

/** Runs a conversion that must fall back, and checks the image, its metadata and the reason. */
async function expectFallback(overrides: Partial<ConvertAndRegisterOptions>, code: string): Promise<void> {
  await withTempStore(async (temp) => {
    const logs: string[] = [];
    const result = await convertAndRegister({ ...baseOptions(overrides), store: temp.store, onLog: (level, message) => logs.push(`${level}: ${message}`) });
    expect(result).toMatchObject({ path: 'host', alreadyPresent: false, fallbackReason: { code } });
    expect(result.entry).toMatchObject({ source: 'host', fallbackReason: { code }, manifestDigest: image.manifest.digest, name: overrides.reference ?? image.reference, ...APP_RUNTIME });
    expect((await readMetadata(result.entry.dir)).fallbackReason).toEqual(result.fallbackReason);
    expect(logs.some((line) => line.startsWith(`warn: fast path failed (${code}: `))).toBe(true);
    expect(result.timings.map((t) => t.step)).toEqual(expect.arrayContaining(['host-convert', 'register']));
    expect(sha256File(result.entry.diskPath)).toBe(result.entry.sha256);
    await expectAppTree(result.entry.diskPath);
    // The host path's work directory is gone; nothing was written to the guest's volume.
    expect(await readdir(join(temp.store.root, 'tmp'))).toEqual([]);
  });
}

describe('fallback when the agent cannot be used', () => {
  const fakes: FakeAgent[] = [];
  async function fake(behaviour: FakeAgentBehaviour): Promise<string> {
    const agent = await startFakeAgent(join(work, `fake-${fakes.length}.sock`), behaviour);
    fakes.push(agent);
    return agent.address;
  }
  afterEach(async () => {
    for (const agent of fakes.splice(0)) await agent.close();
  });

  it('nothing listens on the agent socket: AGENT_UNAVAILABLE', () => expectFallback({}, 'AGENT_UNAVAILABLE'));

  it('the agent answers junk: PROTOCOL_ERROR', async () => expectFallback({ agent: await fake({ kind: 'garbage', bytes: JUNK }) }, 'PROTOCOL_ERROR'));

  it('the agent never says hello: TIMEOUT', async () => expectFallback({ agent: await fake({ kind: 'silent' }), connect: { handshakeTimeoutMs: 300 } }, 'TIMEOUT'));

  it('the agent never answers the conversion, not even the Cancel: TIMEOUT', async () =>
    expectFallback({ agent: await fake({ kind: 'hello-then-silent' }), timeoutMs: 300, cancelGraceMs: 200 }, 'TIMEOUT'));

  it('a compromised agent answers an absolute path or one with `..`: PATH_REJECTED', async () => {
    for (const path of ['/etc/passwd', 'a/../../etc/passwd']) {
      const result = { path, size_bytes: 4096, sha256: `sha256:${'1'.repeat(64)}`, manifest_digest: image.manifest.digest, format: 1 };
      await expectFallback({ agent: await fake({ kind: 'result', result }) }, 'PATH_REJECTED');
    }
  });
});

describe('caller mistakes are not fast-path failures', () => {
  it('a bad output name or reference fails at once, without dialing and without falling back', async () => {
    await withTempStore(async (temp) => {
      expect((await rejection(convertAndRegister({ ...baseOptions({ outputName: '../escape.erofs' }), store: temp.store }))).code).toBe('PATH_REJECTED');
      expect((await rejection(convertAndRegister({ ...baseOptions({ reference: `${registry}/orchestrate/tags:v1` }), store: temp.store }))).code).toBe('INVALID_REFERENCE');
      // The agent's own rule, checked on the host: a name the agent would refuse never reaches it (and never falls back).
      expect((await rejection(convertAndRegister({ ...baseOptions({ outputName: '-x.erofs' }), store: temp.store }))).code).toBe('INVALID_ARGUMENT');
      expect(await listImages(temp.store)).toEqual([]);
    });
  });

  it('a volume the host could never read right (journaled ext4) fails at once with JOURNALED_VOLUME, and so does a missing one', async () => {
    const journaled = makeExt4Volume(volume, join(work, 'journaled.ext4'), '32M', true);
    await withTempStore(async (temp) => {
      const err = await rejection(convertAndRegister({ ...baseOptions({ volume: journaled }), store: temp.store }));
      expect(err.code).toBe('JOURNALED_VOLUME');
      expect((await rejection(convertAndRegister({ ...baseOptions({ volume: join(work, 'no-such-volume') }), store: temp.store }))).code).toBe('INVALID_ARGUMENT');
      expect(await listImages(temp.store)).toEqual([]);
    });
  });
});

describe('fallback when the agent fails or lies (real serve, lying converter: a malicious guest)', () => {
  const served = servedAgentFixture(LYING_AGENT);
  const lie = (what: string): Promise<void> => writeFile(join(served().dir, 'lie'), what);
  const agent = (): Partial<ConvertAndRegisterOptions> => ({ agent: `unix:${served().socket}`, volume: served().outputDir });
  afterEach(async () => {
    await lie('');
  });

  it.each([
    ['sha256', 'DIGEST_MISMATCH'],
    ['size', 'SIZE_MISMATCH'],
    ['symlink-passwd', 'PATH_REJECTED'],
    ['symlink-parent', 'PATH_REJECTED'],
    ['not-erofs', 'BAD_SUPERBLOCK'],
  ])('the agent lies (%s): %s', async (what, code) => {
    await lie(what);
    await expectFallback(agent(), code);
  });

  it('the agent claims another manifest than the pinned reference: DIGEST_MISMATCH', async () => {
    await lie('manifest-digest');
    await expectFallback({ ...agent(), reference: image.digestReference }, 'DIGEST_MISMATCH');
  });

  it('the conversion outlives its timeout; the agent cancels on request: TIMEOUT', async () => {
    await lie('hang');
    await expectFallback({ ...agent(), timeoutMs: 500 }, 'TIMEOUT');
  });

  it('a cancelled call never falls back', async () => {
    await lie('hang');
    await withTempStore(async (temp) => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 300);
      const err = await rejection(convertAndRegister({ ...baseOptions(agent()), store: temp.store, signal: controller.signal }));
      expect(err.code).toBe('CANCELLED');
      expect(await listImages(temp.store)).toEqual([]);
    });
  });

  it("fallback 'none' gives the fast path's error code and registers nothing", async () => {
    await lie('sha256');
    await withTempStore(async (temp) => {
      const lying = await rejection(convertAndRegister({ ...baseOptions(agent()), store: temp.store, fallback: 'none' }));
      expect(lying.code).toBe('DIGEST_MISMATCH');
      const down = await rejection(convertAndRegister({ ...baseOptions({}), store: temp.store, fallback: 'none' }));
      expect(down.code).toBe('AGENT_UNAVAILABLE');
      expect(await listImages(temp.store)).toEqual([]);
    });
  });
});

describe('when both paths fail', () => {
  const served = servedAgentFixture(AGENT_CLI);

  it("reports the host path's error and names the fast path's", async () => {
    await withTempStore(async (temp) => {
      const missing = `${registry}/orchestrate/missing:v1`;
      const err = await rejection(convertAndRegister({ ...baseOptions({ agent: `unix:${served().socket}`, volume: served().outputDir }), reference: missing, store: temp.store }));
      expect(err.code).toBe('NOT_FOUND');
      expect(err.message).toMatch(/host-side conversion, after the fast path failed with NOT_FOUND/);
      expect(await listImages(temp.store)).toEqual([]);
      expect(await readdir(join(temp.store.root, 'tmp'))).toEqual([]);
    });
  });
});

describe('convertLocally (the host path alone)', () => {
  it('converts on the host with source "host" and no fallback reason; a second call is a no-op after one resolve', async () => {
    await withTempStore(async (temp) => {
      const first = await convertLocally({ reference: image.reference, store: temp.store, registry: { insecure: true } });
      expect(first).toMatchObject({ path: 'host', alreadyPresent: false, entry: { source: 'host', manifestDigest: image.manifest.digest } });
      expect(first.fallbackReason).toBeUndefined();
      expect((await readMetadata(first.entry.dir)).fallbackReason).toBeUndefined();
      await expectAppTree(first.entry.diskPath);
      const second = await convertLocally({ reference: image.reference, store: temp.store, registry: { insecure: true } });
      expect(second).toMatchObject({ path: 'host', alreadyPresent: true, knownBy: 'resolved-on-host' });
      expect(second.timings.map((t) => t.step)).toEqual(['resolve', 'check-store']);
    });
  });
});
