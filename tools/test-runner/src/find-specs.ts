import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const PROJECT_GROUPS = ['apps', 'libs', 'tools'];

function walk(dir: string, found: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, found);
    else if (entry.name.endsWith('.spec.js')) found.push(path);
  }
}

/** Compiled spec files (`<project>/dist/**\/*.spec.js`); integration specs end in `.int.spec.js`. */
export function findSpecs(root: string): { unit: string[]; integration: string[] } {
  const found: string[] = [];
  for (const group of PROJECT_GROUPS) {
    const groupDir = join(root, group);
    if (!existsSync(groupDir)) continue;
    for (const project of readdirSync(groupDir, { withFileTypes: true })) {
      const dist = join(groupDir, project.name, 'dist');
      if (project.isDirectory() && existsSync(dist)) walk(dist, found);
    }
  }
  found.sort((a, b) => relative(root, a).localeCompare(relative(root, b)));
  return {
    unit: found.filter((file) => !file.endsWith('.int.spec.js')),
    integration: found.filter((file) => file.endsWith('.int.spec.js')),
  };
}
