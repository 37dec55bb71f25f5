import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RAW_HEADERS } from '@crm/contracts';
import { buildRawRecord } from './raw-record.js';
import { signatureValue } from './signature-header.js';

describe('signatureValue', () => {
  const cases: [string, string | string[] | undefined, string | undefined][] = [
    ['absent', undefined, undefined],
    ['one value', 'abc', 'abc'],
    ['two equal copies joined by Node', 'abc, abc', 'abc'],
    ['three equal copies', 'abc,abc ,  abc', 'abc'],
    ['equal copies as an array', ['abc', 'abc'], 'abc'],
    ['copies that differ: as received', 'abc, abd', 'abc, abd'],
    ['differing array: joined as received', ['abc', 'abd'], 'abc, abd'],
    ['an empty first copy: as received', ', abc', ', abc'],
  ];
  for (const [name, value, expected] of cases) {
    it(name, () => assert.equal(signatureValue(value), expected));
  }

  it('buildRawRecord writes one copy of a repeated identical signature', () => {
    const headers = (value: string) =>
      buildRawRecord({
        webhookId: 'w',
        source: 'pipeliner',
        connectionId: 'c',
        receivedAtMs: 0,
        query: '',
        headers: { 'webhook-signature': value },
        clientIp: '192.0.2.1',
        body: Buffer.from('[]'),
      }).headers ?? {};
    assert.equal(headers('sig, sig')[RAW_HEADERS.signature], 'sig');
    assert.equal(headers('sig, other')[RAW_HEADERS.signature], 'sig, other');
  });
});
