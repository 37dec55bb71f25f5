import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DEAD_LETTER_REF_HEADERS, FAILURE_HEADERS, RAW_HEADERS } from '@crm/contracts';
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
  type ConsumedRecord,
} from '@crm/testing';
import type { NormalizerPipelinerEnvironment } from '../config/normalizer-pipeliner-environment.js';
import { NORMALIZER_PIPELINER_SERVICE } from './normalizer-pipeliner.service.js';

/** What the DLQ holds for a record: value plus header names and values. */
function storedBytes(record: ConsumedRecord): number {
  let bytes = record.value?.length ?? 0;
  for (const [name, value] of Object.entries(record.headers ?? {}))
    bytes += Buffer.byteLength(name) + Buffer.byteLength(String(value));
  return bytes;
}

/** A validly signed Pipeliner body can still be a heap of non-object items. */
const nonObjects = (count: number) =>
  Buffer.from(JSON.stringify(Array.from({ length: count }, () => 1)));

const DLQ_BYTES_BOUND = 8 * 1024;

describe('normalizer-pipeliner: dead letters stay small whatever the body', () => {
  let kafka: Kafka;
  const id = randomUUID();
  const topics = {
    input: `ntest.plb.${id}`,
    events: `ntest.plb-events.${id}`,
    dlq: `ntest.plb-dlq.${id}`,
  };
  let running: RunningService<NormalizerPipelinerEnvironment> | undefined;
  let dlq: TopicCollector;

  before(async () => {
    kafka = testKafka('normalizer-pipeliner-dlq-bounds');
    for (const topic of [topics.input, topics.events, topics.dlq])
      await createTopic(kafka, topic, 1);
    dlq = await TopicCollector.start(kafka, topics.dlq);
    running = await startService(NORMALIZER_PIPELINER_SERVICE, {
      env: {
        KAFKA_BROKERS: testBrokers().join(','),
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        GROUP_ID: uniqueGroup('normalizer-pipeliner-bounds'),
        VERIFIED_TOPIC_PIPELINER: topics.input,
        EVENTS_TOPIC: topics.events,
        DLQ_TOPIC: topics.dlq,
      },
    });
  });

  after(async () => {
    await running?.close();
    await dlq.stop();
  });

  it('20,000 non-object items: one too_many_items dead letter of a few KB that points at the original; 100 bad items: one dead letter', async () => {
    const huge = verifiedMessage(nonObjects(20_000), { source: 'pipeliner', connectionId: 'plb' });
    const hundred = verifiedMessage(nonObjects(100), { source: 'pipeliner', connectionId: 'plb' });
    await produce(kafka, topics.input, [huge, hundred]);
    const ofWebhook = (message: typeof huge) =>
      dlq.records.filter(
        (record) =>
          headerString(record.headers, RAW_HEADERS.webhookId) ===
          message.headers[RAW_HEADERS.webhookId],
      );
    await waitFor(() => ofWebhook(huge).length > 0 && ofWebhook(hundred).length > 0, {
      timeoutMs: 30_000,
      description: 'a dead letter for each delivery',
    });
    const [tooMany, ...moreTooMany] = ofWebhook(huge);
    assert.ok(tooMany);
    assert.deepEqual(moreTooMany, [], 'one dead letter for the delivery, never one per item');
    const header = (record: ConsumedRecord, name: string) => headerString(record.headers, name);
    assert.equal(header(tooMany, FAILURE_HEADERS.dlqReason), 'too_many_items');
    assert.equal(header(tooMany, DEAD_LETTER_REF_HEADERS.value), 'excerpt');
    assert.equal(header(tooMany, DEAD_LETTER_REF_HEADERS.itemCount), '20000');
    assert.equal(header(tooMany, DEAD_LETTER_REF_HEADERS.originalBytes), String(huge.value.length));
    assert.equal(header(tooMany, FAILURE_HEADERS.originTopic), topics.input);
    assert.equal(header(tooMany, FAILURE_HEADERS.originPartition), '0');
    assert.equal(header(tooMany, FAILURE_HEADERS.originOffset), '0');
    assert.deepEqual(tooMany.value, huge.value.subarray(0, 512));
    assert.ok(storedBytes(tooMany) <= DLQ_BYTES_BOUND, `${storedBytes(tooMany)} bytes`);

    const [bad, ...moreBad] = ofWebhook(hundred);
    assert.ok(bad);
    assert.deepEqual(moreBad, []);
    assert.equal(header(bad, FAILURE_HEADERS.dlqReason), 'invalid_payload');
    assert.equal(header(bad, DEAD_LETTER_REF_HEADERS.itemCount), '100');
    assert.equal(header(bad, FAILURE_HEADERS.originOffset), '1');
    assert.ok(storedBytes(bad) <= DLQ_BYTES_BOUND, `${storedBytes(bad)} bytes`);
    // The runtime counts what it wrote, per connection and reason.
    const counted = await waitFor(
      async () => {
        const body = await (await fetch(`${running?.url ?? ''}/metrics`)).text();
        const bytes = (reason: string) =>
          new RegExp(
            `^crm_consumer_dead_letter_bytes_total\\{[^}]*connection="plb",reason="${reason}"\\} (\\d+)$`,
            'm',
          ).exec(body)?.[1];
        const tooManyBytes = bytes('too_many_items');
        const badBytes = bytes('invalid_payload');
        return tooManyBytes && badBytes ? [Number(tooManyBytes), Number(badBytes)] : undefined;
      },
      { timeoutMs: 10_000, description: 'dead-letter bytes on /metrics' },
    );
    assert.deepEqual(counted, [storedBytes(tooMany), storedBytes(bad)]);
    process.stdout.write(
      `# dlq bytes: 20,000 items ${storedBytes(tooMany)}, 100 bad items ${storedBytes(bad)}\n`,
    );
  });
});
