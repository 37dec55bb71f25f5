import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OTHER_CONNECTION, connectionLabel } from './connection-label.js';

describe('connectionLabel', () => {
  const configured = new Set(['acme-kommo', 'shop']);
  const isConfigured = (id: string): boolean => configured.has(id);

  const cases: { name: string; id: string | undefined; expected: string }[] = [
    { name: 'a configured id', id: 'acme-kommo', expected: 'acme-kommo' },
    { name: 'an id the registry does not know', id: 'ghost', expected: OTHER_CONNECTION },
    { name: 'no header', id: undefined, expected: OTHER_CONNECTION },
    { name: 'an empty header', id: '', expected: OTHER_CONNECTION },
  ];
  for (const { name, id, expected } of cases)
    it(`labels ${name} as ${expected}`, () => {
      assert.equal(connectionLabel(id, isConfigured), expected);
    });

  it('without a registry, keeps well-formed ids only', () => {
    assert.equal(connectionLabel('rt-conn'), 'rt-conn');
    for (const id of ['Upper', 'x'.repeat(65), 'a b', '../etc', 'ümlaut'])
      assert.equal(connectionLabel(id), OTHER_CONNECTION, id);
  });
});
