/**
 * Integration tests of the consumer runtime (libs/kafka/src/consumer) through
 * the real broker. They live in libs/testing because libs/kafka cannot depend
 * on the harness (the harness depends on libs/kafka).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { INestMicroservice } from '@nestjs/common';
import {
  DEAD_LETTER_REF_HEADERS,
  FAILURE_HEADERS,
  PipelineError,
  RAW_HEADERS,
  REDELIVERY_HEADERS,
} from '@crm/contracts';
import {
  deadLetterByReference,
  header,
  itemsFailure,
  type KafkaConsumerServer,
  type Kafka,
} from '@crm/kafka';
import { startTestConsumer, type TestHandler } from './test-consumer.js';
import { waitFor } from './wait-for.js';
import {
  TopicCollector,
  createTopic,
  headerString,
  produce,
  testKafka,
  uniqueGroup,
  uniqueTopic,
  withAdmin,
} from './test-kafka.js';

/** Echoes each record to `out`; the `mode` header makes it fail in a chosen way. */
function echoTo(out: string): TestHandler {
  return (record) => {
    const mode = header(record, 'mode');
    if (mode === 'transient') throw new PipelineError('downstream_unavailable', 'try later', true);
    if (mode === 'permanent') throw new PipelineError('invalid_payload', 'cannot parse', false);
    if (mode === 'dead-letter')
      return [
        deadLetterByReference(
          record,
          itemsFailure([{ item: 'a.b.0', reason: 'unsupported_event', detail: 'no such action' }]),
        ),
      ];
    return [
      {
        topic: out,
        key: record.key,
        value: record.value,
        headers: { seq: header(record, 'seq') ?? '' },
      },
    ];
  };
}

interface Topics {
  input: string;
  output: string;
  retry: string[];
  dlq: string;
}

describe('consumer runtime (KafkaConsumerServer)', () => {
  let kafka: Kafka;
  const apps: INestMicroservice[] = [];
  before(() => {
    kafka = testKafka('runtime-test');
  });
  after(async () => {
    await Promise.all(apps.map((app) => app.close()));
  });

  async function setup(partitions = 1): Promise<Topics> {
    const topics = {
      input: uniqueTopic('rt-in'),
      output: uniqueTopic('rt-out'),
      retry: [uniqueTopic('rt-r1'), uniqueTopic('rt-r2')],
      dlq: uniqueTopic('rt-dlq'),
    };
    for (const topic of [topics.input, topics.output, ...topics.retry, topics.dlq])
      await createTopic(kafka, topic, partitions);
    return topics;
  }

  async function startApp(
    topics: Topics,
    groupId: string,
  ): Promise<{ app: INestMicroservice; server: KafkaConsumerServer }> {
    const started = await startTestConsumer({
      clientId: 'runtime-test',
      groupId,
      input: topics.input,
      handle: echoTo(topics.output),
      server: { retryTopics: topics.retry, dlqTopic: topics.dlq, retryDelaysMs: [1_000, 2_000] },
    });
    apps.push(started.app);
    return started;
  }

  it('publishes outputs in input order per key and commits only what it handled', async () => {
    const topics = await setup(3);
    const group = uniqueGroup('rt');
    await produce(
      kafka,
      topics.input,
      Array.from({ length: 300 }, (_, i) => ({
        key: `k${i % 5}`,
        value: `v${i}`,
        headers: { seq: String(i) },
      })),
    );
    const { app } = await startApp(topics, group);
    const collector = await TopicCollector.start(kafka, topics.output);
    try {
      const records = await collector.waitForCount(300, 20_000);
      for (let k = 0; k < 5; k += 1) {
        const seqs = records
          .filter((record) => record.key?.toString() === `k${k}`)
          .map((record) => Number(headerString(record.headers, 'seq')));
        assert.equal(seqs.length, 60);
        assert.deepEqual(
          seqs,
          [...seqs].sort((a, b) => a - b),
          `key k${k} out of order`,
        );
      }
      await app.close();
      const committed = await withAdmin(kafka, (admin) =>
        admin.fetchOffsets({ groupId: group, topics: [topics.input] }),
      );
      const total = committed[0]?.partitions.reduce(
        (sum, partition) => sum + Number(partition.offset),
        0,
      );
      assert.equal(total, 300);
    } finally {
      await collector.stop();
    }
  });

  it('sends failures to a retry tier or the DLQ with failure headers, and the partition moves on', async () => {
    const topics = await setup();
    const group = uniqueGroup('rt');
    const connection = { [RAW_HEADERS.connection]: 'rt-conn' };
    await produce(kafka, topics.input, [
      { key: 'a', value: '1', headers: { seq: '1', mode: 'transient' } },
      { key: 'a', value: '2', headers: { ...connection, seq: '2', mode: 'permanent' } },
      { key: 'a', value: '3', headers: { ...connection, seq: '3', mode: 'dead-letter' } },
      { key: 'a', value: '4', headers: { seq: '4' } },
    ]);
    const { server } = await startApp(topics, group);
    const [retry, dlq, out] = await Promise.all([
      TopicCollector.start(kafka, topics.retry[0] ?? ''),
      TopicCollector.start(kafka, topics.dlq),
      TopicCollector.start(kafka, topics.output),
    ]);
    try {
      const [retried] = await retry.waitForCount(1);
      const dead = await dlq.waitForCount(2);
      await out.waitForCount(1);
      assert.ok(retried);
      assert.equal(retried.value?.toString(), '1');
      assert.equal(headerString(retried.headers, FAILURE_HEADERS.attempt), '1');
      assert.equal(headerString(retried.headers, FAILURE_HEADERS.originTopic), topics.input);
      assert.equal(headerString(retried.headers, FAILURE_HEADERS.originGroup), group);
      assert.equal(
        headerString(retried.headers, FAILURE_HEADERS.errorCode),
        'downstream_unavailable',
      );
      const due = Number(headerString(retried.headers, FAILURE_HEADERS.dueAt));
      assert.ok(due > Date.now() - 60_000 && due <= Date.now() + 1_000, `due ${due}`);
      const reasons = dead
        .map((record) => headerString(record.headers, FAILURE_HEADERS.dlqReason))
        .sort();
      assert.deepEqual(reasons, ['invalid_payload', 'unsupported_event']);
      for (const record of dead)
        assert.equal(headerString(record.headers, FAILURE_HEADERS.originGroup), group);
      const byReference = dead.find((record) => headerString(record.headers, 'seq') === '3');
      assert.equal(
        headerString(byReference?.headers ?? {}, DEAD_LETTER_REF_HEADERS.value),
        'excerpt',
      );
      assert.equal(out.records[0]?.value?.toString(), '4');
      // Both kinds of dead letter are counted, with their bytes, per connection and reason.
      const written = new Map(
        dead.map((record) => [
          headerString(record.headers, FAILURE_HEADERS.dlqReason),
          (record.value?.length ?? 0) +
            Object.entries(record.headers ?? {}).reduce(
              (sum, [name, value]) =>
                sum + Buffer.byteLength(name) + Buffer.byteLength(String(value)),
              0,
            ),
        ]),
      );
      const metric = async (name: string) =>
        (await server.metricsRegistry.getSingleMetric(name)?.get())?.values
          .filter(({ labels }) => labels['group'] === group)
          .map(({ labels, value }) => `${labels['connection']} ${labels['reason']} ${value}`)
          .sort();
      // Counted once the publish is acknowledged, which the collector may see first.
      const counted = await waitFor(
        async () => {
          const records = await metric('crm_consumer_dead_letters_total');
          return records?.length === 2 ? records : undefined;
        },
        { timeoutMs: 5_000, description: 'dead letters counted' },
      );
      assert.deepEqual(counted, ['rt-conn invalid_payload 1', 'rt-conn unsupported_event 1']);
      assert.deepEqual(await metric('crm_consumer_dead_letter_bytes_total'), [
        `rt-conn invalid_payload ${written.get('invalid_payload')}`,
        `rt-conn unsupported_event ${written.get('unsupported_event')}`,
      ]);
    } finally {
      await Promise.all([retry.stop(), dlq.stop(), out.stop()]);
    }
  });

  it('handles a redelivery only in the group it names, counting attempts on from its header', async () => {
    const topics = await setup();
    const group = uniqueGroup('rt');
    await produce(kafka, topics.input, [
      {
        key: 'a',
        value: 'other',
        headers: { seq: '1', [REDELIVERY_HEADERS.targetGroup]: 'someone-else' },
      },
      {
        key: 'a',
        value: 'mine',
        headers: {
          seq: '2',
          mode: 'transient',
          [REDELIVERY_HEADERS.targetGroup]: group,
          [FAILURE_HEADERS.attempt]: '1',
        },
      },
      { key: 'a', value: 'plain', headers: { seq: '3' } },
    ]);
    await startApp(topics, group);
    const [retry2, out] = await Promise.all([
      TopicCollector.start(kafka, topics.retry[1] ?? ''),
      TopicCollector.start(kafka, topics.output),
    ]);
    try {
      const [second] = await retry2.waitForCount(1);
      assert.equal(second?.value?.toString(), 'mine');
      assert.equal(headerString(second?.headers ?? {}, FAILURE_HEADERS.attempt), '2');
      assert.equal(headerString(second?.headers ?? {}, REDELIVERY_HEADERS.targetGroup), undefined);
      await out.waitForCount(1);
      assert.deepEqual(
        out.records.map((record) => record.value?.toString()),
        ['plain'],
      );
    } finally {
      await Promise.all([retry2.stop(), out.stop()]);
    }
  });

  it('replaces its producer after a failed publish and goes on, instead of giving up', async () => {
    const topics = await setup();
    const group = uniqueGroup('rt');
    await produce(kafka, topics.input, [{ key: 'a', value: 'once', headers: { seq: '1' } }]);
    let attempts = 0;
    const echo = echoTo(topics.output);
    const started = await startTestConsumer({
      clientId: 'runtime-test',
      groupId: group,
      input: topics.input,
      // The first attempt publishes to a topic name the broker refuses as invalid: an error kafkajs
      // does not retry, after which its consumer used to give up for good.
      handle: (record) => {
        attempts += 1;
        return attempts === 1
          ? [{ topic: 'not a valid topic name!', key: record.key, value: record.value }]
          : echo(record);
      },
      server: { retryTopics: topics.retry, dlqTopic: topics.dlq, retryDelaysMs: [1_000, 2_000] },
    });
    apps.push(started.app);
    const out = await TopicCollector.start(kafka, topics.output);
    try {
      const [record] = await out.waitForCount(1, 30_000);
      assert.equal(record?.value?.toString(), 'once');
      assert.ok(attempts >= 2, `handled ${attempts} times`);
      assert.equal(started.server.isLive(), true);
      await waitFor(() => started.server.isReady(), { timeoutMs: 20_000 });
      const failures = await started.server.metricsRegistry
        .getSingleMetric('crm_consumer_publish_failures_total')
        ?.get();
      assert.equal(
        failures?.values.reduce((sum, value) => sum + value.value, 0),
        1,
      );
    } finally {
      await out.stop();
    }
  });
});
