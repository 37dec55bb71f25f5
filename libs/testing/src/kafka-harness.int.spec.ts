import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { MAX_MESSAGE_BYTES } from '@crm/contracts';
import { ensureTopics, type Kafka } from '@crm/kafka';
import {
  TopicCollector,
  createTopic,
  headerString,
  produce,
  testKafka,
  uniqueTopic,
  withAdmin,
} from './test-kafka.js';

describe('test harness against the real broker', () => {
  let kafka: Kafka;
  before(() => {
    kafka = testKafka('harness-test');
  });

  it('round-trips keys, binary values and headers through an idempotent producer and a consumer group', async () => {
    const topic = uniqueTopic('harness');
    await createTopic(kafka, topic, 3);
    const binary = Buffer.from([0x00, 0xff, 0xfe, 0x0a, 0x80]);
    const messages = Array.from({ length: 30 }, (_, i) => ({
      key: `conn-${i % 3}`,
      value: Buffer.concat([Buffer.from(`#${i}:`), binary]),
      headers: { 'webhook-id': `id-${i}`, 'crm-source': 'kommo', raw: binary },
    }));
    await produce(kafka, topic, messages);

    const collector = await TopicCollector.start(kafka, topic);
    try {
      const records = await collector.waitForCount(30);
      assert.equal(records.length, 30);
      for (const record of records) {
        const id = headerString(record.headers, 'webhook-id');
        assert.ok(id);
        const index = Number(id.slice(3));
        assert.equal(record.key?.toString(), `conn-${index % 3}`);
        assert.deepEqual(record.value, Buffer.concat([Buffer.from(`#${index}:`), binary]));
        assert.equal(headerString(record.headers, 'crm-source'), 'kommo');
        assert.deepEqual(record.headers['raw'], binary);
      }
      // Same key, same partition, produced order kept.
      for (const key of ['conn-0', 'conn-1', 'conn-2']) {
        const sameKey = records.filter((record) => record.key?.toString() === key);
        assert.equal(new Set(sameKey.map((record) => record.partition)).size, 1);
        const order = sameKey.map((record) =>
          Number(headerString(record.headers, 'webhook-id')?.slice(3)),
        );
        assert.deepEqual(
          order,
          [...order].sort((a, b) => a - b),
        );
      }
    } finally {
      await collector.stop();
    }
  });

  it('creates topics from specs that accept a maximal webhook batch, and reports drift on existing ones', async () => {
    const spec = {
      name: uniqueTopic('harness-big'),
      partitions: 2,
      retentionMs: 3_600_000,
      maxMessageBytes: MAX_MESSAGE_BYTES,
    };
    const first = await withAdmin(kafka, (admin) => ensureTopics(admin, [spec]));
    assert.deepEqual(first.created, [spec.name]);
    // Three 1 MiB bodies for one key: one record batch of over 3 MiB on one partition.
    const body = Buffer.alloc(1024 * 1024, 0x61);
    await produce(
      kafka,
      spec.name,
      [1, 2, 3].map((n) => ({ key: 'one-connection', value: body, headers: { n: String(n) } })),
    );
    const again = await withAdmin(kafka, (admin) =>
      ensureTopics(admin, [{ ...spec, partitions: 4, retentionMs: 60_000 }]),
    );
    assert.deepEqual(again.created, []);
    assert.deepEqual(again.existing, [spec.name]);
    assert.equal(again.drifted.length, 1);
    assert.match(again.drifted[0] ?? '', /partitions 2 < 4.*retention\.ms=3600000 \(spec 60000\)/);
  });

  it('answers admin requests: the created topic has the asked partition count', async () => {
    const topic = uniqueTopic('harness-admin');
    await createTopic(kafka, topic, 4);
    const metadata = await withAdmin(kafka, (admin) =>
      admin.fetchTopicMetadata({ topics: [topic] }),
    );
    assert.equal(metadata.topics[0]?.partitions.length, 4);
  });
});
