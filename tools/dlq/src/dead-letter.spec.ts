import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEAD_LETTER_REF_HEADERS, FAILURE_HEADERS, REDELIVERY_HEADERS } from '@crm/contracts';
import type { HeldRecord } from '@crm/kafka';
import {
  inspection,
  matches,
  summaryLine,
  toDeadLetter,
  type DeadLetterFilter,
} from './dead-letter.js';
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

  describe('written by reference', () => {
    const items = [{ item: 'leads.status.0', reason: 'invalid_payload', detail: 'no id' }];
    const byRef = toDeadLetter(
      dlqRecord(
        {
          'crm-connection': 'acme-kommo',
          [FAILURE_HEADERS.dlqReason]: 'invalid_payload',
          [FAILURE_HEADERS.originTopic]: 'crm.webhooks.verified.kommo.v1',
          [FAILURE_HEADERS.originPartition]: '3',
          [FAILURE_HEADERS.originOffset]: '1234',
          [FAILURE_HEADERS.originGroup]: 'crm-normalizer-kommo',
          [DEAD_LETTER_REF_HEADERS.value]: 'excerpt',
          [DEAD_LETTER_REF_HEADERS.originalBytes]: '70000',
          [DEAD_LETTER_REF_HEADERS.itemCount]: '7',
          [DEAD_LETTER_REF_HEADERS.items]: JSON.stringify(items),
        },
        Buffer.from('leads%5Bstatus'),
      ),
    );
    const original: HeldRecord = {
      topic: 'crm.webhooks.verified.kommo.v1',
      partition: 3,
      offset: '1234',
      key: Buffer.from('acme-kommo'),
      value: Buffer.from('leads%5Bstatus%5D%5B0%5D%5Bid%5D=1&the=whole+body'),
      timestamp: '0',
      headers: {
        'crm-connection': Buffer.from('acme-kommo'),
        'webhook-id': Buffer.from('w-orig'),
        'verified-at': Buffer.from('2024-05-01T09:59:59.000Z'),
        // A replay of a replay: the old bookkeeping must not travel on.
        [REDELIVERY_HEADERS.replayOf]: Buffer.from('crm.dlq.v1:0:1'),
      },
    };

    it('knows where its original is and lists the item count', () => {
      assert.deepEqual(byRef.original, {
        topic: 'crm.webhooks.verified.kommo.v1',
        partition: 3,
        offset: '1234',
        bytes: 70000,
      });
      assert.match(summaryLine(byRef), /items=7 {2}by-reference/);
      assert.equal(letter.original, undefined, 'a letter without dlq-value carries its original');
      assert.doesNotMatch(summaryLine(letter), /items=|by-reference/);
    });

    it('inspection parses dlq-items and says the value is an excerpt', () => {
      const shown = inspection(byRef);
      assert.deepEqual(shown['items'], items);
      assert.equal(shown['itemCount'], 7);
      assert.match(
        String(shown['valueIsExcerpt']),
        /first 14 of 70000 bytes; the original is crm\.webhooks\.verified\.kommo\.v1:3:1234/,
      );
      assert.equal(inspection(letter)['valueIsExcerpt'], undefined);
    });

    it('replays the original value, key and business headers, with fresh redelivery headers', () => {
      const message = replayMessage(
        byRef,
        'crm.dlq.v1',
        Date.parse('2024-06-01T00:00:00Z'),
        original,
      );
      assert.ok(typeof message !== 'string');
      assert.equal(message.value?.toString(), original.value?.toString());
      assert.equal(message.partition, 3);
      const headers = Object.fromEntries(
        Object.entries(message.headers).map(([k, v]) => [k, v.toString()]),
      );
      assert.deepEqual(headers, {
        'crm-connection': 'acme-kommo',
        'webhook-id': 'w-orig',
        'verified-at': '2024-05-01T09:59:59.000Z',
        [REDELIVERY_HEADERS.targetGroup]: 'crm-normalizer-kommo',
        [REDELIVERY_HEADERS.replayOf]: 'crm.dlq.v1:2:41',
        [REDELIVERY_HEADERS.replayedAt]: '2024-06-01T00:00:00.000Z',
      });
    });

    it('refuses to replay the excerpt when the original is gone, naming it', () => {
      assert.equal(
        replayMessage(byRef, 'crm.dlq.v1', 0),
        'original crm.webhooks.verified.kommo.v1:3:1234 is no longer in the topic',
      );
      const noOffset = toDeadLetter(
        dlqRecord({
          [FAILURE_HEADERS.originTopic]: 't',
          [DEAD_LETTER_REF_HEADERS.value]: 'excerpt',
        }),
      );
      const refused = replayMessage(noOffset, 'crm.dlq.v1', 0, original);
      assert.ok(typeof refused === 'string');
      assert.match(refused, /cannot find/);
    });
  });
});
