import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { TOPIC_SPECS } from '@crm/contracts';
import { composeTopics, validateCompose } from './validate-compose.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

describe('docker-compose.yml', () => {
  const text = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');

  it('is valid against the Compose Specification', () => {
    assert.deepEqual(validateCompose(text).problems, []);
  });

  it('creates exactly the topics of libs/contracts, with their partitions, retention and size limit', () => {
    const expected = TOPIC_SPECS.map(
      (spec) => `${spec.name}:${spec.partitions}:${spec.retentionMs}:${spec.maxMessageBytes}`,
    );
    assert.deepEqual(composeTopics(validateCompose(text).document), expected);
  });

  it('rejects a file with an unknown top-level key and a dangling depends_on', () => {
    const { problems } = validateCompose(
      'services:\n  a:\n    image: x\n    depends_on: [b]\nbogus: 1\n',
    );
    assert.ok(
      problems.some((problem) => problem.includes('additional properties')),
      problems.join('; '),
    );
    assert.ok(problems.some((problem) => problem.includes('unknown service "b"')));
  });
});
