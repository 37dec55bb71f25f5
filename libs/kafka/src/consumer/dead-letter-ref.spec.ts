import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEAD_LETTER_EXCERPT_BYTES,
  DEAD_LETTER_ITEMS_LISTED,
  DEAD_LETTER_REF_HEADERS,
  FAILURE_HEADERS,
  TOPICS,
} from '@crm/contracts';
import {
  DEAD_ITEMS_HEADER_BYTES,
  deadLetterByReference,
  itemsFailure,
  listDeadItems,
  recordBytes,
  type DeadItem,
} from './dead-letter-ref.js';
import type { InboundRecord } from './inbound-record.js';

const BODY = Buffer.from(JSON.stringify(Array.from({ length: 20_000 }, () => 1)));
const RECORD: InboundRecord = {
  topic: 'crm.webhooks.verified.pipeliner.v1',
  partition: 3,
  offset: '42',
  key: Buffer.from('acme'),
  value: BODY,
  headers: { 'webhook-id': Buffer.from('w1'), 'crm-connection': Buffer.from('acme') },
  timestamp: '0',
};

const items = (count: number, reason = 'invalid_payload', detail = 'not an object'): DeadItem[] =>
  Array.from({ length: count }, (_, index) => ({ item: `[${index}]`, reason, detail }));

const parsedItems = (headers: Readonly<Record<string, string | Buffer>> | undefined) =>
  JSON.parse(String(headers?.[DEAD_LETTER_REF_HEADERS.items])) as DeadItem[];

describe('deadLetterByReference', () => {
  it('is one record with an excerpt of the body, the origin and the failing items', () => {
    const message = deadLetterByReference(RECORD, itemsFailure(items(3)), 0);
    const headers = message.headers ?? {};
    assert.equal(message.topic, TOPICS.dlq);
    assert.deepEqual(message.value, BODY.subarray(0, DEAD_LETTER_EXCERPT_BYTES));
    assert.equal(headers[DEAD_LETTER_REF_HEADERS.value], 'excerpt');
    assert.equal(headers[DEAD_LETTER_REF_HEADERS.originalBytes], String(BODY.length));
    assert.equal(headers[DEAD_LETTER_REF_HEADERS.itemCount], '3');
    assert.equal(headers[FAILURE_HEADERS.originTopic], RECORD.topic);
    assert.equal(headers[FAILURE_HEADERS.originPartition], '3');
    assert.equal(headers[FAILURE_HEADERS.originOffset], '42');
    assert.equal(headers[FAILURE_HEADERS.dlqReason], 'invalid_payload');
    assert.equal(String(headers['webhook-id']), 'w1');
    assert.deepEqual(parsedItems(headers), items(3));
  });

  it('keeps a short body whole', () => {
    const message = deadLetterByReference(
      { ...RECORD, value: Buffer.from('[1]') },
      itemsFailure(items(1)),
    );
    assert.equal(message.value?.toString(), '[1]');
  });

  for (const [name, failing, reason] of [
    [
      'shared reason',
      [...items(2, 'unsupported_event'), ...items(1, 'unsupported_event')],
      'unsupported_event',
    ],
    ['mixed: the first one', [...items(1, 'unsupported_event'), ...items(2)], 'unsupported_event'],
    ['mixed, other order', [...items(2), ...items(1, 'unsupported_event')], 'invalid_payload'],
  ] as const)
    it(`names the reason (${name})`, () => {
      const message = deadLetterByReference(RECORD, itemsFailure(failing));
      assert.equal(message.headers?.[FAILURE_HEADERS.dlqReason], reason);
    });

  for (const [name, count, detail] of [
    ['20,000 short items', 20_000, 'not an object'],
    ['long details', 50, 'x'.repeat(10_000)],
    ['multi-byte details', 50, 'ы'.repeat(10_000)],
  ] as const)
    it(`stays within a few KB: ${name}`, () => {
      const message = deadLetterByReference(
        RECORD,
        itemsFailure(items(count, 'invalid_payload', detail)),
      );
      const listed = String(message.headers?.[DEAD_LETTER_REF_HEADERS.items]);
      assert.ok(
        Buffer.byteLength(listed) <= DEAD_ITEMS_HEADER_BYTES,
        `${Buffer.byteLength(listed)}`,
      );
      assert.ok(parsedItems(message.headers).length <= DEAD_LETTER_ITEMS_LISTED);
      for (const item of parsedItems(message.headers)) assert.ok(item.detail.length <= 200);
      assert.equal(message.headers?.[DEAD_LETTER_REF_HEADERS.itemCount], String(count));
      assert.ok(recordBytes(message) <= 6 * 1024, `${recordBytes(message)} bytes`);
    });

  it('lists long item refs cut short and no item when there is none', () => {
    const [entry] = JSON.parse(
      listDeadItems(items(1, 'r', 'd').map((i) => ({ ...i, item: 'k'.repeat(5_000) }))),
    ) as DeadItem[];
    assert.ok((entry?.item.length ?? 0) <= 100);
    assert.equal(listDeadItems([]), '[]');
  });
});

describe('recordBytes', () => {
  it('counts the value and header names and values in UTF-8 bytes', () => {
    assert.equal(
      recordBytes({ value: Buffer.from('abc'), headers: { ab: 'ы', c: Buffer.from('d') } }),
      3 + 2 + 2 + 1 + 1,
    );
    assert.equal(recordBytes({ value: null }), 0);
  });
});
