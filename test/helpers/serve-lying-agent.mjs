// `builder-agent serve` with the real pipeline behind a converter that lies: a
// test double of a *malicious guest*. The real agent never misreports its disk,
// so these faults cannot be caused without one. What it lies about is read, per
// conversion, from the file `lie` in the agent's --work-dir (missing or empty:
// the honest answer):
//   sha256           a sha256 that is not the disk's
//   size             a size 4096 bytes larger than the disk
//   symlink-passwd   answers a symlink to /etc/passwd it planted in the volume
//   symlink-parent   answers a path through a symlinked directory (-> /etc)
//   not-erofs        overwrites the disk with random bytes (true size and sha256)
//   manifest-digest  claims another manifest digest
//   hang             never answers (until cancelled)
import { randomBytes, createHash } from 'node:crypto';
import { readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runServe } from '../../dist/agent/server/serve-command.js';
import { pipelineConverter as baseConverter, probeCapabilities } from '../../dist/agent/server/pipeline.js';

async function lyingConverter(job) {
  const lie = (await readFile(join(job.workDir, 'lie'), 'utf8').catch(() => '')).trim();
  if (lie === 'hang') {
    await new Promise((_resolve, reject) => job.signal.addEventListener('abort', () => reject(job.signal.reason), { once: true }));
  }
  const result = await baseConverter(job);
  const disk = join(job.outputDir, result.path);
  switch (lie) {
    case '':
      return result;
    case 'sha256':
      return { ...result, sha256: `sha256:${createHash('sha256').update('not the disk').digest('hex')}` };
    case 'size':
      return { ...result, size_bytes: result.size_bytes + 4096 };
    case 'symlink-passwd':
      await rm(join(job.outputDir, 'evil.erofs'), { force: true });
      await symlink('/etc/passwd', join(job.outputDir, 'evil.erofs'));
      return { ...result, path: 'evil.erofs' };
    case 'symlink-parent':
      await rm(join(job.outputDir, 'etc-link'), { force: true });
      await symlink('/etc', join(job.outputDir, 'etc-link'));
      return { ...result, path: 'etc-link/passwd' };
    case 'not-erofs': {
      const junk = randomBytes(result.size_bytes);
      await writeFile(disk, junk);
      return { ...result, sha256: `sha256:${createHash('sha256').update(junk).digest('hex')}` };
    }
    case 'manifest-digest':
      return { ...result, manifest_digest: `sha256:${createHash('sha256').update('another image').digest('hex')}` };
    default:
      throw new Error(`serve-lying-agent: unknown lie '${lie}'`);
  }
}

process.exitCode = await runServe(process.argv.slice(2), { converter: lyingConverter, capabilities: probeCapabilities });
