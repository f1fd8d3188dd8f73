// The main job end to end (README quick start: `bash scripts/demo.sh`):
// a local docker-registry on a free loopback port, a realistic image pushed to
// it, the agent as a local process on a Unix socket, `builder-host convert`
// against it, then what happened: the registered image, its size against an
// ext4 of the same tree, the phase timings, and /bin/sh resolving on the
// read-only mounted disk. Processes, mounts and temp dirs are cleaned up on
// exit and on Ctrl-C.
// Options: --synthetic (or EROFS_BUILDER_DEMO_SYNTHETIC=1): the fixture image, no mirror needed;
//          --dir DIR: work there and keep it (store, volume); --summary FILE: facts as JSON (tests).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildDisk } from '../agent/disk/index.js';
import { pushImage } from '../testkit/fixtures/index.js';
import { startRegistry } from '../testkit/registry/start.js';
import { cacheDir, cachedImage, pushLayout } from './e2e/images.js';
import { measure } from './e2e/measure.js';
import { agentPath, HOST_CLI_PATH, startAgent } from './e2e/ours.js';
import { resolveInRoot, type Resolution } from './e2e/resolve-in-root.js';
import { syntheticSpec } from './e2e/synthetic.js';
import { Teardown } from './e2e/teardown.js';

const { values } = parseArgs({
  options: {
    synthetic: { type: 'boolean', default: process.env.EROFS_BUILDER_DEMO_SYNTHETIC === '1' },
    dir: { type: 'string' },
    summary: { type: 'string' },
  },
});

const started = performance.now();
const say = (line = ''): void => void process.stdout.write(`${line}\n`);
const step = (line: string): void => say(`\n==> ${line}`);
const teardown = new Teardown();
teardown.onSignals();
// Output piped into e.g. `head` that exits early: keep going quietly, so the cleanup still runs.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
});

type DemoImage = { kind: 'debian' | 'synthetic'; push(registry: string): Promise<string> };

/** The Debian image when it is cached or the mirror answers; else the synthetic one, said loudly. */
async function chooseImage(): Promise<DemoImage> {
  const synthetic: DemoImage = {
    kind: 'synthetic',
    push: async (registry) => (await pushImage(registry, 'demo/synthetic', syntheticSpec())).reference,
  };
  if (values.synthetic) {
    say('image: the synthetic fixture image (asked for with --synthetic)');
    return synthetic;
  }
  const cached = existsSync(join(cacheDir(), 'realistic-oci', 'index.json'));
  if (!cached && !(await mirrorReachable())) {
    say(`image: the Debian mirror ${MIRROR} cannot be reached, so the Debian image cannot be built.`);
    say('       FALLING BACK to a synthetic image from the fixture builder (generated files, not a real distribution).');
    return synthetic;
  }
  if (!cached) say('image: building the Debian 12 image once (debootstrap + buildah, a few minutes; cached in ' + cacheDir() + ')');
  try {
    const image = await cachedImage('debian');
    return { kind: 'debian', push: (registry) => pushLayout(image, registry, 'demo/debian') };
  } catch (err) {
    say(`image: building the Debian image failed (${(err as Error).message.split('\n')[0]}).`);
    say('       FALLING BACK to a synthetic image from the fixture builder.');
    return synthetic;
  }
}

/** What scripts/cache-debian-minbase.sh builds from. */
const MIRROR = process.env.DEBIAN_MIRROR ?? 'http://deb.debian.org/debian';

async function mirrorReachable(): Promise<boolean> {
  try {
    const res = await fetch(`${MIRROR}/dists/bookworm/Release`, { method: 'HEAD', signal: AbortSignal.timeout(5000) });
    return res.ok;
  } catch {
    return false;
  }
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

function describeResolution(path: string, r: Resolution): string {
  const via = r.hops.filter((hop) => hop.linkTo !== undefined).map((hop) => `${hop.path} -> ${hop.linkTo}`);
  if (r.target === undefined) return `${path} does not resolve (${via.join(', ') || 'missing'})`;
  const what = r.kind === 'file' ? `a regular file of ${r.size} bytes, mode ${r.mode!.toString(8).padStart(4, '0')}` : `a ${r.kind}`;
  return `${path} resolves to ${r.target}${via.length ? ` (via ${via.join(', ')})` : ''}: ${what}`;
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('the demo needs root (tmpfs work area, loop mount)');
  say('erofs-builder demo: container image -> registry -> agent -> EROFS disk registered on the host');
  const image = await chooseImage();

  const base = values.dir === undefined ? mkdtempSync('/var/tmp/erofs-builder-demo-') : resolve(values.dir);
  mkdirSync(base, { recursive: true });
  if (values.dir === undefined) teardown.removeDir(base);
  const dirs = { volume: join(base, 'volume'), work: join(base, 'agent-work'), store: join(base, 'store'), mnt: join(base, 'mnt') };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });

  step('registry');
  const registry = await startRegistry();
  teardown.add('stop the registry', () => registry.stop());
  say(`docker-registry (pid ${registry.pid}) serving ${registry.url}`);
  const pushStarted = performance.now();
  const reference = await image.push(registry.address);
  say(`pushed ${reference} in ${((performance.now() - pushStarted) / 1000).toFixed(1)} s`);

  step('agent');
  const agent = await startAgent({ socket: join(base, 'agent.sock'), volume: dirs.volume, workDir: dirs.work });
  teardown.add('stop the agent', () => agent.stop());
  say(`builder-agent serve (pid ${agent.pid}) listening on ${agent.address}, output volume ${dirs.volume}`);

  step(`builder-host convert ${reference} --agent ${agent.address} --volume ${dirs.volume} --store ${dirs.store} --insecure`);
  const converted = await measure({}, (run) => agentPath(run, { reference, store: dirs.store }, { address: agent.address, volume: dirs.volume }));
  const entry = converted.value.image;
  say(`registered from the ${converted.value.path} path in ${(converted.millis / 1000).toFixed(2)} s`);
  for (const [phase, ms] of Object.entries(converted.phases)) say(`  ${phase.padEnd(20)} ${(ms / 1000).toFixed(3)} s`);

  step(`builder-host images --store ${dirs.store}`);
  process.stdout.write(execFileSync(process.execPath, [HOST_CLI_PATH, 'images', '--store', dirs.store], { encoding: 'utf8' }));
  say(`disk:   ${entry.diskPath}`);
  say(`sha256: ${entry.sha256}`);

  step('the registered disk, mounted read-only');
  execFileSync('mount', ['-t', 'erofs', '-o', 'loop,ro', entry.diskPath, dirs.mnt]);
  teardown.unmount(dirs.mnt);
  const mnt = realpathSync(dirs.mnt);
  const binSh = resolveInRoot(mnt, '/bin/sh');
  say(describeResolution('/bin/sh', binSh));
  if (image.kind === 'debian') {
    const out = execFileSync('chroot', [mnt, '/bin/sh', '-c', 'echo "/bin/sh runs: Debian $(cat /etc/debian_version)"'], { encoding: 'utf8' });
    process.stdout.write(out);
  }
  const ext4 = join(base, 'same-tree.ext4');
  const ext4Disk = await buildDisk(mnt, ext4, { format: 'ext4', manifestDigest: entry.manifestDigest });
  say(`size: EROFS (lz4) ${mib(entry.sizeBytes)} against ext4 of the same tree ${mib(ext4Disk.size)} (${((entry.sizeBytes / ext4Disk.size) * 100).toFixed(0)}%)`);

  if (values.summary !== undefined) {
    const summary = { image: image.kind, reference, entry, path: converted.value.path, phases: converted.phases, binSh, ext4Bytes: ext4Disk.size, registryPid: registry.pid, agentPid: agent.pid };
    writeFileSync(values.summary, JSON.stringify(summary, null, 2));
  }
  step(`done in ${((performance.now() - started) / 1000).toFixed(1)} s${values.dir === undefined ? '; cleaning up (keep everything with --dir DIR)' : `; kept in ${base}`}`);
}

try {
  await main();
} catch (err) {
  process.stderr.write(`demo failed: ${(err as Error).message}\n`);
  process.exitCode = 1;
} finally {
  await teardown.run();
}
