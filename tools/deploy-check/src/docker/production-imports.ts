import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s(?!type\s)[^'"]*?from\s+['"]([^'"]+)['"]|(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g;

const TEST_DIRS = new Set(['test', 'test-support', 'testing', 'fixtures']);

function sources(dir: string, found: string[]): string[] {
  if (!existsSync(dir)) return found;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    // Helpers only specs import (test-support/, testing/) are test code.
    if (entry.isDirectory() && !TEST_DIRS.has(entry.name)) sources(path, found);
    else if (entry.isDirectory()) continue;
    else if (
      entry.name.endsWith('.ts') &&
      !entry.name.endsWith('.spec.ts') &&
      !entry.name.endsWith('.d.ts')
    )
      found.push(path);
  }
  return found;
}

const packageOf = (specifier: string): string =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

/** Packages `npm ci --omit=dev` installs at the top level: the lockfile's non-dev entries. */
export function productionPackages(lockfile: string): string[] {
  const { packages } = JSON.parse(lockfile) as { packages: Record<string, { dev?: boolean }> };
  return Object.entries(packages)
    .filter(([path, entry]) => /^node_modules\/(@[^/]+\/)?[^/]+$/.test(path) && entry.dev !== true)
    .map(([path]) => path.slice('node_modules/'.length));
}

/**
 * The images install only production dependencies: every package that runtime
 * code of apps/ and libs/ imports (not specs, test helpers or libs/testing;
 * type-only imports are erased) must be among them. Returns `file: package`
 * for each one that is not.
 */
export function devOnlyImports(root: string, installed: readonly string[]): string[] {
  const allowed = new Set(installed);
  const files = ['apps', 'libs'].flatMap((group) =>
    existsSync(join(root, group))
      ? readdirSync(join(root, group))
          .filter((project) => !(group === 'libs' && project === 'testing'))
          .flatMap((project) => sources(join(root, group, project, 'src'), []))
      : [],
  );
  const problems: string[] = [];
  for (const file of files) {
    for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2] ?? '';
      if (specifier.startsWith('.') || specifier.startsWith('node:')) continue;
      const name = packageOf(specifier);
      if (name === '@crm/testing' || (!name.startsWith('@crm/') && !allowed.has(name)))
        problems.push(`${relative(root, file)}: ${name}`);
    }
  }
  return problems;
}
