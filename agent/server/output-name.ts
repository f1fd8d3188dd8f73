// Where a requested output name lands in the agent's output directory (the name's
// rule itself is core/output-name.ts, shared with the host).
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { checkOutputName } from '../../core/output-name.js';
import { BuilderError } from '../../proto/errors.js';

/**
 * Resolves an output name inside `outputDir` (absolute, symlink-free). Every existing
 * parent component must be a real directory (not a symlink) and an existing final
 * component a regular file, which the pipeline may replace; missing parents are the
 * pipeline's to create. Fails with PATH_REJECTED otherwise.
 */
export async function resolveOutputPath(outputDir: string, name: string): Promise<string> {
  const components = checkOutputName(name);
  let current = outputDir;
  for (const [index, component] of components.entries()) {
    current = join(current, component);
    const isLast = index === components.length - 1;
    const stats = await lstat(current).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined;
      throw new BuilderError('PATH_REJECTED', `cannot inspect '${current}': ${err.message}`, { cause: err });
    });
    // Nothing below a missing component exists yet.
    if (stats === undefined) return join(outputDir, ...components);
    if (stats.isSymbolicLink()) throw new BuilderError('PATH_REJECTED', `output name '${name}' goes through a symlink`);
    if (isLast ? !stats.isFile() : !stats.isDirectory()) {
      throw new BuilderError('PATH_REJECTED', `'${components.slice(0, index + 1).join('/')}' exists and is not a ${isLast ? 'regular file' : 'directory'}`);
    }
  }
  return current;
}
