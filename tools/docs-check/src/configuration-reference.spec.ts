import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { documentedNames, environmentReads } from './environment-reads.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const REFERENCE = 'docs/configuration.md';

describe(REFERENCE, () => {
  const documented = documentedNames(readFileSync(join(ROOT, REFERENCE), 'utf8'));

  it('documents every environment variable the code reads', () => {
    const missing = environmentReads(ROOT)
      .filter((read) => !documented.has(read.name))
      .map((read) => `${read.name} (read in ${read.file})`);
    assert.deepEqual([...new Set(missing)], [], `add these to ${REFERENCE}`);
  });

  it('finds the reads it is meant to find', () => {
    const names = new Set(environmentReads(ROOT).map((read) => read.name));
    for (const expected of ['CONNECTIONS_FILE', 'KAFKA_BROKERS', 'VERIFIER_GROUP_ID', 'LOG_LEVEL'])
      assert.ok(names.has(expected), `${expected} not found: the scanner is broken`);
  });
});

describe('documentedNames', () => {
  it('takes the backticked names of first table columns only', () => {
    const names = documentedNames(
      ['| `A_B` | x |', '| `lower` | x |', 'text `NOT_ME`', '|  `C1`  | `D` |'].join('\n'),
    );
    assert.deepEqual([...names].sort(), ['A_B', 'C1']);
  });
});
