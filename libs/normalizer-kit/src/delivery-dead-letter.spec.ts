import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Registry } from 'prom-client';
import {
  DEAD_LETTER_EXCERPT_BYTES,
  DEAD_LETTER_REF_HEADERS,
  FAILURE_HEADERS,
  PipelineError,
  RAW_HEADERS,
  TOPICS,
} from '@crm/contracts';
import { normalizeResult, recordBytes, type InboundRecord } from '@crm/kafka';
import { DedupWindow } from './dedup-window.js';
import { deliveryDeadLetter } from './delivery-dead-letter.js';
import { overItemCap } from './item-cap.js';
import { NormalizerMetrics } from './normalizer-metrics.js';
import { OutcomeBuilder, type Normalizer } from './outcome-builder.js';
import { RetrySuppressor } from './retry-suppressor.js';
import { parseJson } from './safe-json.js';
import { handleVerifiedRecord } from './verified-record-handler.js';

const BODY = Buffer.from(JSON.stringify(Array.from({ length: 20_000 }, () => 1)));
const RECORD: InboundRecord = {
  topic: 'crm.webhooks.verified.pipeliner.v1',
  partition: 1,
  offset: '77',
  key: Buffer.from('acme'),
  value: BODY,
  headers: {
    [RAW_HEADERS.connection]: Buffer.from('acme'),
    [RAW_HEADERS.source]: Buffer.from('pipeliner'),
    [RAW_HEADERS.receivedAt]: Buffer.from('2024-05-01T12:00:00.000Z'),
    [RAW_HEADERS.webhookId]: Buffer.from('w-1'),
  },
  timestamp: '0',
};

/** Rejects every item of a body of `count` non-objects, as the Pipeliner normalizer does. */
const rejectAll =
  (reasons: (index: number) => 'invalid_payload' | 'unsupported_event'): Normalizer =>
  (body, meta) => {
    const out = new OutcomeBuilder(meta, body);
    const items = JSON.parse(body.toString()) as unknown[];
    items.forEach((_, index) => out.reject(`[${index}]`, reasons(index), 'not an object'));
    return out.outcome();
  };

function handle(normalize: Normalizer, record = RECORD) {
  const metrics = new NormalizerMetrics(new Registry());
  const result = normalizeResult(
    handleVerifiedRecord(record, {
      sources: ['pipeliner'],
      normalize,
      config: { eventsTopic: 'events', windowMs: {}, retriesTopic: 'retries' },
      dedup: new DedupWindow(60_000),
      suppressor: new RetrySuppressor(),
      metrics,
    }),
  );
  return { messages: result.messages, metrics };
}

const headerOf = (message: { headers?: Readonly<Record<string, string | Buffer>> }, name: string) =>
  message.headers?.[name]?.toString();

const overCap: Normalizer = (_, meta) =>
  overItemCap(meta.source, 20_000) ?? assert.fail('under the cap');

describe('one dead letter per failing delivery, by reference', () => {
  for (const [name, normalize, reason, count] of [
    ['20,000 invalid items', rejectAll(() => 'invalid_payload'), 'invalid_payload', 20_000],
    [
      'mixed reasons: the first one',
      rejectAll((i) => (i % 2 ? 'invalid_payload' : 'unsupported_event')),
      'unsupported_event',
      20_000,
    ],
    ['over the cap', overCap, 'too_many_items', 20_000],
  ] as const)
    it(`${name}: one record, an excerpt, ${reason}, a few KB`, async () => {
      const { messages, metrics } = handle(normalize);
      assert.equal(messages.length, 1);
      const [dead] = messages;
      assert.ok(dead);
      assert.equal(dead.topic, TOPICS.dlq);
      assert.deepEqual(dead.value, BODY.subarray(0, DEAD_LETTER_EXCERPT_BYTES));
      assert.equal(headerOf(dead, DEAD_LETTER_REF_HEADERS.value), 'excerpt');
      assert.equal(headerOf(dead, DEAD_LETTER_REF_HEADERS.originalBytes), String(BODY.length));
      assert.equal(headerOf(dead, DEAD_LETTER_REF_HEADERS.itemCount), String(count));
      assert.equal(headerOf(dead, FAILURE_HEADERS.dlqReason), reason);
      assert.equal(headerOf(dead, FAILURE_HEADERS.originTopic), RECORD.topic);
      assert.equal(headerOf(dead, FAILURE_HEADERS.originPartition), '1');
      assert.equal(headerOf(dead, FAILURE_HEADERS.originOffset), '77');
      assert.equal(headerOf(dead, RAW_HEADERS.webhookId), 'w-1');
      assert.ok(recordBytes(dead) <= 6 * 1024, `${recordBytes(dead)} bytes`);
      const listed = JSON.parse(headerOf(dead, DEAD_LETTER_REF_HEADERS.items) ?? '') as unknown[];
      assert.equal(listed.length, reason === 'too_many_items' ? 0 : 20);
      const counted = (await metrics.rejected.get()).values.reduce((sum, v) => sum + v.value, 0);
      assert.equal(counted, 20_000, 'items dead-lettered are still counted one by one');
    });

  it('lists the failing items with their refs, reasons and details', () => {
    const record = { ...RECORD, value: Buffer.from('[1,2,3]') };
    const [dead] = handle(
      rejectAll((i) => (i === 1 ? 'unsupported_event' : 'invalid_payload')),
      record,
    ).messages;
    assert.equal(dead?.value?.toString(), '[1,2,3]');
    assert.deepEqual(JSON.parse(headerOf(dead ?? {}, DEAD_LETTER_REF_HEADERS.items) ?? ''), [
      { item: '[0]', reason: 'invalid_payload', detail: 'not an object' },
      { item: '[1]', reason: 'unsupported_event', detail: 'not an object' },
      { item: '[2]', reason: 'invalid_payload', detail: 'not an object' },
    ]);
  });

  it('no dead letter when every item made it', () => {
    assert.equal(deliveryDeadLetter(RECORD, { events: [], rejects: [] }), undefined);
  });
});

describe('overItemCap', () => {
  for (const [source, items, over] of [
    ['pipeliner', 100, false],
    ['pipeliner', 101, true],
    ['kommo', 500, false],
    ['amocrm', 501, true],
    ['kommo-chat', 1, false],
    ['kommo-chat', 2, true],
  ] as const)
    it(`${source}: ${items} items ${over ? 'over' : 'within'} the cap`, () => {
      assert.equal(overItemCap(source, items) !== undefined, over);
    });
});

describe('parseJson and UTF-8', () => {
  for (const [name, bytes] of [
    ['0xFF', [0x22, 0xff, 0x22]],
    ['a truncated sequence', [0x22, 0xe2, 0x82, 0x22]],
    ['an overlong encoding', [0x22, 0xc0, 0xaf, 0x22]],
    ['a lone surrogate', [0x22, 0xed, 0xa0, 0x80, 0x22]],
  ] as const)
    it(`${name} throws invalid_utf8 instead of reading U+FFFD`, () => {
      assert.throws(
        () => parseJson(Buffer.from(bytes)),
        (error: unknown) =>
          error instanceof PipelineError && error.code === 'invalid_utf8' && !error.retriable,
      );
    });

  it('reads valid multi-byte text as it is', () => {
    assert.equal(parseJson(Buffer.from('"ы€😀"')), 'ы€😀');
  });
});
