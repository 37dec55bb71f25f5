import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Admin, Kafka } from 'kafkajs';
import { BatchingProducer, ProducerUnavailableError } from './batching-producer.js';
import { brokerKafka } from './test-support/broker-kafka.js';

async function recordCount(admin: Admin, topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, partition) => sum + Number(partition.high), 0);
}

describe('BatchingProducer against the real broker', () => {
  let kafka: Kafka;
  let admin: Admin;
  const newTopic = async (partitions = 3): Promise<string> => {
    const topic = `batching.${randomUUID()}`;
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }],
    });
    return topic;
  };

  before(async () => {
    kafka = brokerKafka('batching-producer-test');
    admin = kafka.admin();
    await admin.connect();
  });
  after(async () => {
    await admin.disconnect();
  });

  it('puts concurrent sends for several topics into shared requests, each record exactly once', async () => {
    const [first, second] = [await newTopic(), await newTopic()];
    const batches: number[] = [];
    const producer = new BatchingProducer(kafka, { onBatch: (records) => batches.push(records) });
    await producer.connect();
    try {
      await Promise.all(
        Array.from({ length: 600 }, (_, i) =>
          producer.send(i % 3 === 0 ? first : second, {
            key: `k${i % 7}`,
            value: Buffer.from([i & 0xff, 0x00, 0xff]),
          }),
        ),
      );
    } finally {
      await producer.disconnect();
    }
    assert.equal(await recordCount(admin, first), 200);
    assert.equal(await recordCount(admin, second), 400);
    assert.equal(
      batches.reduce((sum, n) => sum + n, 0),
      600,
    );
    assert.ok(batches.length < 60, `expected shared requests, got ${batches.length} batches`);
  });

  it('caps a request at maxBatchRecords', async () => {
    const topic = await newTopic(1);
    const batches: number[] = [];
    const producer = new BatchingProducer(kafka, {
      maxBatchRecords: 10,
      onBatch: (records) => batches.push(records),
    });
    await producer.connect();
    try {
      await Promise.all(
        Array.from({ length: 95 }, (_, i) => producer.send(topic, { value: String(i) })),
      );
    } finally {
      await producer.disconnect();
    }
    assert.ok(batches.length >= 10);
    assert.ok(
      batches.every((n) => n <= 10),
      batches.join(','),
    );
    assert.equal(await recordCount(admin, topic), 95);
  });

  it('flushes queued messages on disconnect and refuses sends afterwards', async () => {
    const topic = await newTopic(1);
    const producer = new BatchingProducer(kafka, { lingerMs: 50 });
    await producer.connect();
    const sends = Array.from({ length: 40 }, (_, i) => producer.send(topic, { value: `m${i}` }));
    await producer.disconnect();
    await Promise.all(sends);
    assert.equal(await recordCount(admin, topic), 40);
    assert.equal(producer.connected, false);
    await assert.rejects(producer.send(topic, { value: 'late' }), ProducerUnavailableError);
  });

  it('rejects every send of a batch the broker refused', async () => {
    const producer = new BatchingProducer(kafka);
    await producer.connect();
    try {
      await assert.rejects(producer.send('not a valid topic name!', { value: 'x' }));
    } finally {
      await producer.disconnect();
    }
  });

  it('sends through a new kafkajs producer after a failed request, and delivers again', async () => {
    const topic = await newTopic(1);
    const producer = new BatchingProducer(kafka);
    await producer.connect();
    try {
      await producer.send(topic, { value: 'before' });
      assert.equal(producer.producerGenerations, 1);
      await assert.rejects(producer.send('not a valid topic name!', { value: 'x' }));
      assert.equal(producer.producerGenerations, 1, 'renewed on the next request, not at once');
      await producer.send(topic, { value: 'after' });
      assert.equal(producer.producerGenerations, 2);
      await producer.send(topic, { value: 'again' });
      assert.equal(producer.producerGenerations, 2, 'one renewal per failure');
      await producer.flush();
      assert.equal(producer.inFlightMs, 0, 'nothing in flight once flushed');
    } finally {
      await producer.disconnect();
    }
    assert.equal(await recordCount(admin, topic), 3);
  });

  it('rejects at once when the queue is over its byte bound', async () => {
    const topic = await newTopic(1);
    const producer = new BatchingProducer(kafka, { maxQueuedBytes: 1_000, lingerMs: 20 });
    await producer.connect();
    try {
      const accepted = producer.send(topic, { value: Buffer.alloc(600) });
      await assert.rejects(
        producer.send(topic, { value: Buffer.alloc(600) }),
        /producer queue full/,
      );
      await accepted;
    } finally {
      await producer.disconnect();
    }
  });

  it('refuses sends before connect', async () => {
    const producer = new BatchingProducer(kafka);
    await assert.rejects(producer.send('any', { value: 'x' }), /not connected/);
  });
});
