import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { BuilderError } from '../../proto/errors.js';

const MAX_NAME_BYTES = 1024;
const MAX_COMPONENT_BYTES = 255;

/**
 * Checks the form of an output name: relative, '/'-separated, no '.' or '..' or empty
 * components, no control characters or backslashes, no component starting with '-' (it
 * would read as an option to the tools that handle the file), bounded length.
 * Escaping names get PATH_REJECTED, malformed ones INVALID_ARGUMENT. Returns the components.
 */
export function checkOutputName(name: string): string[] {
  if (name.length === 0) throw new BuilderError('INVALID_ARGUMENT', 'output name is empty');
  if (Buffer.byteLength(name) > MAX_NAME_BYTES) {
    throw new BuilderError('INVALID_ARGUMENT', `output name is longer than ${MAX_NAME_BYTES} bytes`);
  }
  if (name.startsWith('/')) throw new BuilderError('PATH_REJECTED', `output name '${name}' is absolute`);
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f\\]/.test(name)) {
    throw new BuilderError('INVALID_ARGUMENT', `output name ${JSON.stringify(name)} contains a control character or backslash`);
  }
  const components = name.split('/');
  for (const component of components) {
    if (component === '..') throw new BuilderError('PATH_REJECTED', `output name '${name}' has a '..' component`);
    if (component === '' || component === '.') {
      throw new BuilderError('INVALID_ARGUMENT', `output name '${name}' has an empty or '.' component`);
    }
    if (component.startsWith('-')) {
      throw new BuilderError('INVALID_ARGUMENT', `output name '${name}' has a component starting with '-'`);
    }
    if (Buffer.byteLength(component) > MAX_COMPONENT_BYTES) {
      throw new BuilderError('INVALID_ARGUMENT', `output name '${name}' has a component longer than ${MAX_COMPONENT_BYTES} bytes`);
    }
  }
  return components;
}

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
