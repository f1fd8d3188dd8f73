// A registration in its own process, for the cross-process store tests: runs
// the built library (dist/) like the CLI does. Argument: one JSON object
// { store, volume, path, name, digest, killAt? }. With killAt, the process
// SIGKILLs itself when registration reaches that step. Prints "started" once
// the volume is open and registration begins, then the result as JSON.
import { performance } from 'node:perf_hooks';
import { openStore, registerPrebuiltImage } from '../../dist/host/store.js';
import { openVolume } from '../../dist/host/volume.js';

const job = JSON.parse(process.argv[2]);
const store = await openStore(job.store);
const volume = await openVolume(job.volume);
const disk = await volume.openDisk(job.path);
process.stdout.write('started\n');
const started = performance.now();
const { entry, alreadyPresent } = await registerPrebuiltImage(store, {
  name: job.name,
  manifestDigest: job.digest,
  source: 'agent',
  disk,
  onStep: (step) => {
    if (step === job.killAt) process.kill(process.pid, 'SIGKILL');
  },
});
process.stdout.write(JSON.stringify({ alreadyPresent, sha256: entry.sha256, sizeBytes: entry.sizeBytes, diskPath: entry.diskPath, registrationMs: performance.now() - started }) + '\n');
