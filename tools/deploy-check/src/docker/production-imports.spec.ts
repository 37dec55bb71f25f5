import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../manifests/overlays.js';
import { devOnlyImports, productionPackages } from './production-imports.js';

describe('runtime code imports only production dependencies', () => {
  it('holds for apps/ and libs/', () => {
    const installed = productionPackages(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));
    assert.ok(installed.includes('kafkajs') && !installed.includes('typescript'));
    assert.deepEqual(devOnlyImports(ROOT, installed), []);
  });

  it('flags a dev dependency and @crm/testing in runtime code, not in specs', () => {
    const root = mkdtempSync(join(tmpdir(), 'imports-'));
    try {
      mkdirSync(join(root, 'apps/x/src'), { recursive: true });
      writeFileSync(
        join(root, 'apps/x/src/main.ts'),
        "import { Ajv } from 'ajv';\nimport '@crm/testing';\nimport { a } from './a.js';\nimport { Injectable } from '@nestjs/common';\nimport type { X } from 'typescript';\n",
      );
      writeFileSync(join(root, 'apps/x/src/main.spec.ts'), "import 'testcontainers';\n");
      assert.deepEqual(devOnlyImports(root, ['@nestjs/common']), [
        'apps/x/src/main.ts: ajv',
        'apps/x/src/main.ts: @crm/testing',
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
