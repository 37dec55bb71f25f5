import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FAILURE_HEADERS, REDELIVERY_HEADERS } from '@crm/contracts';
import type { HeldRecord } from '@crm/kafka';
import { inspection, matches, toDeadLetter, type DeadLetterFilter } from './dead-letter.js';
import { replayMessage } from './replay-message.js';

function dlqRecord(
  headers: Record<string, string>,
  value: Buffer = Buffer.from('{"a":1}'),
): HeldRecord {
  return {
    topic: 'crm.dlq.v1',
    partition: 2,
    offset: '41',
    key: Buffer.from('acme-kommo'),
    value,
    timestamp: String(Date.parse('2024-05-01T10:00:00Z')),
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Buffer.from(v)])),
  };
}

const letter = toDeadLetter(
  dlqRecord({
    'crm-source': 'kommo',
    'crm-connection': 'acme-kommo',
    'webhook-id': 'w-1',
    [FAILURE_HEADERS.dlqReason]: 'invalid_payload',
    [FAILURE_HEADERS.originTopic]: 'crm.webhooks.verified.kommo.v1',
    [FAILURE_HEADERS.originPartition]: '3',
    [FAILURE_HEADERS.originGroup]: 'crm-normalizer-kommo',
    [FAILURE_HEADERS.attempts]: '1',
    [FAILURE_HEADERS.deadLetteredAt]: '2024-05-01T10:00:05.000Z',
  }),
);

describe('dead letters', () => {
  const cases: [string, DeadLetterFilter, boolean][] = [
    ['no filter', {}, true],
    ['reason match', { reason: 'invalid_payload' }, true],
    ['reason mismatch', { reason: 'retries_exhausted' }, false],
    ['source', { source: 'kommo' }, true],
    ['other source', { source: 'pipeliner' }, false],
    ['connection', { connection: 'acme-kommo' }, true],
    ['group', { originGroup: 'crm-verifier' }, false],
    ['since before', { since: Date.parse('2024-05-01T10:00:00Z') }, true],
    ['since after', { since: Date.parse('2024-05-01T10:00:06Z') }, false],
    ['until after (exclusive)', { until: Date.parse('2024-05-01T10:00:05Z') }, false],
    [
      'window around',
      { since: Date.parse('2024-05-01T09:00:00Z'), until: Date.parse('2024-05-01T11:00:00Z') },
      true,
    ],
  ];
  for (const [name, filter, expected] of cases) {
    it(`filter: ${name}`, () => assert.equal(matches(letter, filter), expected));
  }

  it('falls back to the record timestamp without dead-lettered-at, and says unknown without a reason', () => {
    const bare = toDeadLetter(dlqRecord({}));
    assert.equal(bare.deadLetteredAt, Date.parse('2024-05-01T10:00:00Z'));
    assert.equal(bare.reason, 'unknown');
  });

  it('inspection shows text values as text and binary as base64', () => {
    assert.equal(inspection(letter)['value'], '{"a":1}');
    const binary = inspection(toDeadLetter(dlqRecord({}, Buffer.from([0xff, 0xfe]))));
    assert.deepEqual([binary['value'], binary['valueEncoding']], ['//4=', 'base64']);
  });

  it('a replay goes to the origin topic and partition, for the origin group, without failure bookkeeping', () => {
    const message = replayMessage(letter, 'crm.dlq.v1', Date.parse('2024-06-01T00:00:00Z'));
    assert.ok(typeof message !== 'string');
    assert.equal(message.topic, 'crm.webhooks.verified.kommo.v1');
    assert.equal(message.partition, 3);
    assert.equal(message.key?.toString(), 'acme-kommo');
    const headers = Object.fromEntries(
      Object.entries(message.headers).map(([k, v]) => [k, v.toString()]),
    );
    assert.deepEqual(headers, {
      'crm-source': 'kommo',
      'crm-connection': 'acme-kommo',
      'webhook-id': 'w-1',
      [REDELIVERY_HEADERS.targetGroup]: 'crm-normalizer-kommo',
      [REDELIVERY_HEADERS.replayOf]: 'crm.dlq.v1:2:41',
      [REDELIVERY_HEADERS.replayedAt]: '2024-06-01T00:00:00.000Z',
    });
  });

  it('a replay without origin-group goes to every group; without origin-topic it is refused', () => {
    const noGroup = replayMessage(
      toDeadLetter(dlqRecord({ [FAILURE_HEADERS.originTopic]: 't' })),
      'crm.dlq.v1',
      0,
    );
    assert.ok(typeof noGroup !== 'string');
    assert.equal(REDELIVERY_HEADERS.targetGroup in noGroup.headers, false);
    assert.equal(typeof replayMessage(toDeadLetter(dlqRecord({})), 'crm.dlq.v1', 0), 'string');
  });
});
