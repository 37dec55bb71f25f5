import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** The directory of the package `name` as this process resolves it, or undefined when it is not installed. */
export function packageRoot(name: string): string | undefined {
  let entry: string;
  try {
    entry = require.resolve(name);
  } catch {
    return undefined;
  }
  // Walk up from the entry point: packages may have nested package.json files (e.g. `cjs/`) without a name.
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file) && readManifest(file).name === name) return dir;
  }
  return undefined;
}

/** The version in the installed package's package.json, read from disk (nothing is loaded). */
export function installedVersion(name: string): string | undefined {
  const root = packageRoot(name);
  return root === undefined ? undefined : readManifest(join(root, 'package.json')).version;
}

function readManifest(file: string): { name?: string; version?: string } {
  return JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
}
