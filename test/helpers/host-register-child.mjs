// A registration in its own process, for the cross-process store tests: runs
// the built library (dist/) like the CLI does. Argument: one JSON object
// { store, volume, path, name, digest, killAt? }. Prints "started" once the
// volume is open and registration begins, then the result as JSON.
//
// With killAt, the process SIGKILLs itself at that point of the registration.
// The store has no hooks for this: the child wraps the filesystem calls the
// store makes (node:fs/promises, rebound for ES modules before the store is
// loaded) and dies right before or after the one that marks the point. The kill
// is real; only its timing is chosen. Points, in the order a registration passes them:
//   locked            before anything is changed under the entry's lock (its first rm)
//   disk-copied       the disk copied to its temp name, before the rename into place
//   disk-renamed      right after the disk's rename into place
//   metadata-renamed  right after metadata.json's rename into place (the entry is ready)
//   tag-temp-linked   right after the temporary tag symlink is made, before its rename
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { performance } from 'node:perf_hooks';

const job = JSON.parse(process.argv[2]);
const die = () => process.kill(process.pid, 'SIGKILL');
const fsp = fs.promises;
const { rm, rename, symlink } = fsp;
const killBefore = { locked: 'rm metadata.json', 'disk-copied': 'rename rootfs' }[job.killAt];
const killAfter = { 'disk-renamed': 'rename rootfs', 'metadata-renamed': 'rename metadata.json', 'tag-temp-linked': 'symlink' }[job.killAt];
const point = (op, path) => `${op} ${path.endsWith('/metadata.json') ? 'metadata.json' : /\/rootfs\.[a-z0-9]+$/.test(path) ? 'rootfs' : 'other'}`;
const around = (op, real, pathArg) =>
  async (...args) => {
    const at = op === 'symlink' ? 'symlink' : point(op, String(args[pathArg]));
    if (at === killBefore) die();
    const result = await real(...args);
    if (at === killAfter) die();
    return result;
  };
if (job.killAt !== undefined) {
  if (killBefore === undefined && killAfter === undefined) throw new Error(`unknown killAt ${job.killAt}`);
  fsp.rm = around('rm', rm, 0);
  fsp.rename = around('rename', rename, 1);
  fsp.symlink = around('symlink', symlink, 1);
  syncBuiltinESMExports();
}

const { parseReference } = await import('../../dist/core/reference.js');
const { openStore, registerPrebuiltImage } = await import('../../dist/host/store.js');
const { openVolume } = await import('../../dist/host/volume.js');
const store = await openStore(job.store);
const volume = await openVolume(job.volume);
const disk = await volume.openDisk(job.path);
process.stdout.write('started\n');
const started = performance.now();
const { entry, alreadyPresent } = await registerPrebuiltImage(store, { reference: parseReference(job.name), manifestDigest: job.digest, source: 'agent', disk });
process.stdout.write(JSON.stringify({ alreadyPresent, sha256: entry.sha256, sizeBytes: entry.sizeBytes, diskPath: entry.diskPath, registrationMs: performance.now() - started }) + '\n');
