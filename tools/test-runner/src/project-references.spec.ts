import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

function projects(): string[] {
  return ['apps', 'libs', 'tools'].flatMap((group) =>
    existsSync(join(ROOT, group))
      ? readdirSync(join(ROOT, group), { withFileTypes: true })
          .filter(
            (entry) =>
              entry.isDirectory() && existsSync(join(ROOT, group, entry.name, 'tsconfig.json')),
          )
          .map((entry) => `${group}/${entry.name}`)
      : [],
  );
}

describe('root tsconfig.json', () => {
  it('references every project, so `tsc -b` type-checks and builds all of them', () => {
    const root = JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8')) as {
      references: { path: string }[];
    };
    const referenced = root.references.map((reference) => reference.path).sort();
    assert.deepEqual(referenced, projects().sort());
  });

  it('gives every project an Nx project.json with tags', () => {
    for (const project of projects()) {
      const file = join(ROOT, project, 'project.json');
      assert.ok(existsSync(file), `${project} has no project.json`);
      const config = JSON.parse(readFileSync(file, 'utf8')) as { tags?: string[] };
      assert.ok((config.tags ?? []).length > 0, `${project} has no Nx tags`);
    }
  });
});
