import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const SOURCE_DIRS = ['apps', 'libs', 'tools'];
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'test-support', 'fixtures', '.cache']);

/** A read of an environment object by a literal name, with brackets or a dot (process.env included). */
const ENV_READ = /\benv(?:\??\.([A-Z][A-Z0-9_]*)\b|\[\s*['"]([A-Z][A-Z0-9_]*)['"]\s*\])/g;
/** The platform's own variables, documented by Node and the shell, not by this project. */
const PLATFORM = new Set(['PATH', 'HOME', 'NODE_OPTIONS', 'NODE_TEST_CONTEXT', 'CI', 'TZ']);
/** A property of an environment schema class: `  NAME = …`, `NAME!: …`, `override NAME = …`. */
const SCHEMA_PROPERTY = /^\s+(?:override\s+)?([A-Z][A-Z0-9_]+)[!?]?\s*[:=]/gm;
const SCHEMA_CLASS = /class \w+ extends \w*Environment\b[^{]*\{([\s\S]*?)\n\}/g;

export interface EnvironmentRead {
  readonly name: string;
  readonly file: string;
}

function sourceFiles(dir: string, found: string[]): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIPPED_DIRS.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) sourceFiles(path, found);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) found.push(path);
  }
  return found;
}

/**
 * Every environment variable the shipped code reads: direct reads of an
 * environment object and the properties of environment schema classes.
 * Specs and test support are left out: they set variables, they do not read them.
 * Indirect reads (`env[name]` with a computed name) must be documented by hand.
 */
export function environmentReads(root: string): EnvironmentRead[] {
  const reads: EnvironmentRead[] = [];
  for (const dir of SOURCE_DIRS) {
    for (const path of sourceFiles(join(root, dir), [])) {
      const text = readFileSync(path, 'utf8');
      const file = relative(root, path);
      for (const match of text.matchAll(ENV_READ)) {
        const name = match[1] ?? match[2] ?? '';
        if (!PLATFORM.has(name)) reads.push({ name, file });
      }
      for (const schema of text.matchAll(SCHEMA_CLASS)) {
        for (const match of (schema[1] ?? '').matchAll(SCHEMA_PROPERTY))
          reads.push({ name: match[1] ?? '', file });
      }
    }
  }
  return reads;
}

/** The names in the first column of every table of a markdown document: `| \`NAME\` | …`. */
export function documentedNames(markdown: string): Set<string> {
  const names = new Set<string>();
  for (const match of markdown.matchAll(/^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|/gm)) {
    if (match[1]) names.add(match[1]);
  }
  return names;
}
