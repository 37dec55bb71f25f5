import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { CE_HEADERS, DEAD_LETTER_REF_HEADERS, FAILURE_HEADERS } from '@crm/contracts';
import type { Kafka } from '@crm/kafka';
import { verifiedMessage } from '@crm/normalizer-kit';
import { startService, type RunningService } from '@crm/service-kit';
import {
  TopicCollector,
  createTopic,
  headerString,
  produce,
  testBrokers,
  testKafka,
  uniqueGroup,
  waitFor,
} from '@crm/testing';
import type { NormalizerPipelinerEnvironment } from '../config/normalizer-pipeliner-environment.js';
import { NORMALIZER_PIPELINER_SERVICE } from './normalizer-pipeliner.service.js';

const FIXTURES = new URL('../../fixtures/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(`${name}.txt`, FIXTURES));

describe('normalizer-pipeliner through the real broker', () => {
  let kafka: Kafka;
  const id = randomUUID();
  const topics = {
    input: `ntest.pl.${id}`,
    events: `ntest.pl-events.${id}`,
    dlq: `ntest.pl-dlq.${id}`,
  };
  const group = uniqueGroup('normalizer-pipeliner');
  let running: RunningService<NormalizerPipelinerEnvironment> | undefined;
  let events: TopicCollector;
  let dlq: TopicCollector;
  const start = () =>
    startService(NORMALIZER_PIPELINER_SERVICE, {
      env: {
        KAFKA_BROKERS: testBrokers().join(','),
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        GROUP_ID: group,
        VERIFIED_TOPIC_PIPELINER: topics.input,
        EVENTS_TOPIC: topics.events,
        DLQ_TOPIC: topics.dlq,
      },
    });
  /** One delivery per fixture: the same delivery produced again is a redelivery inside the pipeline. */
  const deliveries = new Map<string, ReturnType<typeof verifiedMessage>>();
  const message = (name: string) => {
    const delivery =
      deliveries.get(name) ??
      verifiedMessage(fixture(name), { source: 'pipeliner', connectionId: 'int-pl' });
    deliveries.set(name, delivery);
    return delivery;
  };

  before(async () => {
    kafka = testKafka('normalizer-pipeliner-int');
    for (const [topic, partitions] of [
      [topics.input, 2],
      [topics.events, 3],
      [topics.dlq, 1],
    ] as const)
      await createTopic(kafka, topic, partitions);
    events = await TopicCollector.start(kafka, topics.events);
    dlq = await TopicCollector.start(kafka, topics.dlq);
    running = await start();
  });

  after(async () => {
    await running?.close();
    await events.stop();
    await dlq.stop();
  });

  it('emits every item of a chunk (53 Entity.Actions) and dead-letters only the bad items, in one dead letter', async () => {
    await produce(kafka, topics.input, [message('every_event'), message('chunk_with_bad_items')]);
    await events.waitForCount(55, 30_000);
    await dlq.waitForCount(1);
    const types = new Set(
      events.records.map((record) => headerString(record.headers, CE_HEADERS.type)),
    );
    for (const type of [
      'crm.deal.stage_changed',
      'crm.deal.won',
      'crm.lead.reopened',
      'crm.task.commented',
    ])
      assert.ok(types.has(type), type);
    assert.equal(dlq.records.length, 1);
    const dead = dlq.records[0]?.headers ?? {};
    assert.equal(headerString(dead, FAILURE_HEADERS.dlqReason), 'unsupported_event');
    assert.equal(headerString(dead, DEAD_LETTER_REF_HEADERS.itemCount), '3');
    assert.deepEqual(
      (
        JSON.parse(headerString(dead, DEAD_LETTER_REF_HEADERS.items) ?? '[]') as {
          item: string;
          reason: string;
        }[]
      ).map(({ item, reason }) => `${item} ${reason}`),
      ['[1] unsupported_event', '[2] invalid_payload', '[3] invalid_payload'],
    );
  });

  it('does not re-emit a redelivered chunk (same webhook-id) across a restart', async () => {
    const before = events.records.length;
    await running?.close();
    running = await start();
    await produce(kafka, topics.input, [message('every_event'), message('account_create')]);
    const isSample = (record: (typeof events.records)[number]) =>
      record.key?.toString() === 'int-pl:company:9b1d2c3e-4f5a-4b6c-8d7e-0f1a2b3c4d5e';
    await waitFor(() => events.records.some(isSample), { timeoutMs: 30_000 });
    assert.equal(events.records.length, before + 1);
  });
});
