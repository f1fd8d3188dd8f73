// The layering rules, checked on the sources so they stay true: the product
// build compiles the product alone; nothing outside test/ imports test/; no
// import circle; each layer imports only the layers below it (proto/ at the
// bottom, then core/, cli/, agent/, host/), and host/ takes from agent/ only
// the engine entry (agent/engine.ts).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
/** The product: what `npm run build` compiles and Dockerfile.builder ships. */
const PRODUCT_DIRS = ['proto', 'core', 'cli', 'agent', 'host'];
const SOURCE_DIRS = [...PRODUCT_DIRS, 'scripts', 'testkit', 'test'];

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(ts|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts'))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)))
    .filter((path) => !path.includes('/generated/') && !path.includes('/native/build/'));
}

/** Relative module specifiers of a source file (static imports and exports, import(), side-effect imports), resolved to repository paths. */
function localImports(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|^\s*import\s+)['"](\.\.?\/[^'"]+)['"]/gm)].map((m) => m[1]!);
  return specifiers.map((specifier) => relative(ROOT, resolve(ROOT, dirname(file), specifier)).replace(/\.js$/, '.ts'));
}

const topDir = (path: string): string => path.split('/')[0]!;

describe('the product build', () => {
  it('compiles proto/, core/, cli/, agent/ and host/ and nothing else of the repository', () => {
    const listed = execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--listFilesOnly'], { cwd: ROOT, encoding: 'utf8' });
    const ours = listed
      .split('\n')
      .filter((line) => line.startsWith(ROOT) && !line.includes('/node_modules/'))
      .map((line) => relative(ROOT, line));
    expect(ours.length).toBeGreaterThan(50);
    expect(ours.filter((path) => !PRODUCT_DIRS.includes(topDir(path)))).toEqual([]);
  });

  it('keeps dev-only packages out of the runtime dependencies', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const used = new Set(
      PRODUCT_DIRS.flatMap(sourceFiles)
        .flatMap((file) => [...readFileSync(join(ROOT, file), 'utf8').matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|require\(\s*)['"]([^'".][^'"]*)['"]/g)].map((m) => m[1]!))
        .filter((name) => !name.startsWith('node:'))
        .map((name) => (name.startsWith('@') ? name.split('/').slice(0, 2).join('/') : name.split('/')[0]!)),
    );
    expect(Object.keys(pkg.dependencies).filter((name) => !used.has(name))).toEqual([]);
  });
});

describe('imports', () => {
  const files = SOURCE_DIRS.flatMap(sourceFiles);

  it('finds the sources (a check over nothing would pass)', () => {
    expect(files.filter((file) => file.startsWith('host/')).length).toBeGreaterThan(20);
    expect(localImports('host/orchestrate.ts').length).toBeGreaterThan(3);
  });

  it('of test/ come only from test/', () => {
    const offenders = files.filter((file) => topDir(file) !== 'test').flatMap((file) => localImports(file).filter((target) => topDir(target) === 'test').map((target) => `${file} -> ${target}`));
    expect(offenders).toEqual([]);
  });

  it('of the workshop (scripts/, testkit/) never come from the product', () => {
    const offenders = files
      .filter((file) => PRODUCT_DIRS.includes(topDir(file)))
      .flatMap((file) => localImports(file).filter((target) => !PRODUCT_DIRS.includes(topDir(target))).map((target) => `${file} -> ${target}`));
    expect(offenders).toEqual([]);
  });
});

/** What each product layer may import besides itself. */
const ALLOWED: Record<string, readonly string[]> = {
  proto: [],
  core: ['proto'],
  cli: ['proto', 'core'],
  agent: ['proto', 'core', 'cli'],
  host: ['proto', 'core', 'cli', 'agent/engine.ts'],
};

describe('layers', () => {
  const files = SOURCE_DIRS.flatMap(sourceFiles);

  it('each product layer imports only what stands below it, host/ only the engine entry of agent/', () => {
    const offenders = files
      .filter((file) => PRODUCT_DIRS.includes(topDir(file)))
      .flatMap((file) => {
        const layer = topDir(file);
        const allowed = ALLOWED[layer]!;
        return localImports(file)
          .filter((target) => topDir(target) !== layer && !allowed.includes(topDir(target)) && !allowed.includes(target))
          .map((target) => `${file} -> ${target}`);
      });
    expect(offenders).toEqual([]);
  });

  it('have no import circle, counting type-only imports', () => {
    expect(findCircles(new Map(files.map((file) => [file, localImports(file)])))).toEqual([]);
  });

  it('would see a circle (the check can fail)', () => {
    const circles = findCircles(new Map([['a.ts', ['b.ts']], ['b.ts', ['c.ts']], ['c.ts', ['a.ts']], ['d.ts', ['a.ts']]]));
    expect(circles).toEqual(['a.ts -> b.ts -> c.ts -> a.ts']);
    expect(localImports('host/volume.ts')).toContain('host/volume-dir.ts');
  });
});

/** Every circle of a module graph, each as `a -> b -> ... -> a`. */
function findCircles(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const state = new Map<string, 'visiting' | 'done'>();
  const circles: string[] = [];
  const visit = (file: string, path: string[]): void => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'visiting') {
      circles.push([...path.slice(path.indexOf(file)), file].join(' -> '));
      return;
    }
    state.set(file, 'visiting');
    for (const target of graph.get(file) ?? []) if (target !== file) visit(target, [...path, file]);
    state.set(file, 'done');
  };
  for (const file of graph.keys()) visit(file, []);
  return circles;
}
