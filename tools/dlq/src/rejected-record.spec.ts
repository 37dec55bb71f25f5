import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { REDELIVERY_HEADERS } from '@crm/contracts';
import type { HeldRecord } from '@crm/kafka';
import { CREDENTIAL_REASONS } from './dlq-args.js';
import { isSelected, reverifyMessage, type ReverifySelection } from './rejected-record.js';

const RAW = {
  'webhook-id': 'w-1',
  'crm-source': 'kommo',
  'crm-connection': 'acme',
  'received-at': '2024-05-01T09:59:59.000Z',
  'crm-token-sha256': 'ab'.repeat(32),
};

function rejected(headers: Record<string, string>, offset = '7'): HeldRecord {
  return {
    topic: 'crm.webhooks.rejected.v1',
    partition: 1,
    offset,
    key: Buffer.from('acme'),
    value: Buffer.from('leads%5Bstatus%5D=1'),
    timestamp: String(Date.parse('2024-05-01T10:00:00Z')),
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Buffer.from(v)])),
  };
}

const record = rejected({
  ...RAW,
  'reject-reason': 'bad_token',
  'reject-detail': 'token matches none of 1 secrets',
  'rejected-at': '2024-05-01T10:00:00.000Z',
});

describe('reverify selection', () => {
  const base: ReverifySelection = {
    connection: 'acme',
    since: Date.parse('2024-05-01T09:00:00Z'),
    reasons: CREDENTIAL_REASONS,
  };
  const cases: [string, ReverifySelection, HeldRecord, boolean][] = [
    ['connection, credential reason, in the window', base, record, true],
    ['another connection', { ...base, connection: 'other' }, record, false],
    [
      'rejected before --since',
      { ...base, since: Date.parse('2024-05-01T10:00:01Z') },
      record,
      false,
    ],
    [
      'rejected exactly at --since',
      { ...base, since: Date.parse('2024-05-01T10:00:00Z') },
      record,
      true,
    ],
    ['a reason not picked', { ...base, reasons: ['stale'] }, record, false],
    [
      'not a credential reason by default',
      base,
      rejected({ ...RAW, 'reject-reason': 'malformed', 'rejected-at': '2024-05-01T10:00:00Z' }),
      false,
    ],
    [
      'without rejected-at the record timestamp counts',
      { ...base, since: Date.parse('2024-05-01T10:00:01Z') },
      rejected({ ...RAW, 'reject-reason': 'bad_token' }),
      false,
    ],
  ];
  for (const [name, selection, candidate, expected] of cases)
    it(name, () => assert.equal(isSelected(candidate, selection), expected));

  it('goes back to the raw topic as ingress wrote it: reject headers gone, webhook-id kept, replay-of set', () => {
    const message = reverifyMessage(
      rejected({ ...RAW, 'reject-reason': 'bad_token', 'replay-of': 'old:0:0' }),
      'crm.webhooks.raw.v1',
      Date.parse('2024-06-01T00:00:00Z'),
    );
    assert.equal(message.topic, 'crm.webhooks.raw.v1');
    assert.equal(message.partition, undefined, 'the key picks the partition, as at ingress');
    assert.equal(message.key?.toString(), 'acme');
    assert.equal(message.value?.toString(), 'leads%5Bstatus%5D=1');
    const headers = Object.fromEntries(
      Object.entries(message.headers).map(([k, v]) => [k, v.toString()]),
    );
    assert.deepEqual(headers, {
      ...RAW,
      [REDELIVERY_HEADERS.replayOf]: 'crm.webhooks.rejected.v1:1:7',
      [REDELIVERY_HEADERS.replayedAt]: '2024-06-01T00:00:00.000Z',
    });
  });
});
