import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { Admin, Kafka, Producer } from 'kafkajs';
import type { HeldRecord } from './held-record.js';
import { brokerKafka } from '../test-support/broker-kafka.js';
import { TailObserver } from './tail-observer.js';

async function until(condition: () => boolean, description: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${description}`);
    await sleep(20);
  }
}

describe('TailObserver against the real broker', () => {
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;
  const observers: TailObserver[] = [];

  before(async () => {
    kafka = brokerKafka('tail-observer-test');
    admin = kafka.admin();
    producer = kafka.producer();
    await Promise.all([admin.connect(), producer.connect()]);
  });
  after(async () => {
    await Promise.all(observers.map((observer) => observer.stop()));
    await Promise.all([admin.disconnect(), producer.disconnect()]);
  });

  it('observes from the look-back on, and tells which offsets it has seen', async () => {
    const topic = `tail-observer.${randomUUID()}`;
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions: 1, replicationFactor: 1 }],
    });
    const now = Date.now();
    const old = String(now - 600_000);
    await producer.send({
      topic,
      acks: -1,
      messages: [
        { value: 'old-0', timestamp: old },
        { value: 'old-1', timestamp: old },
        { value: 'recent-2', timestamp: String(now) },
        { value: 'recent-3', timestamp: String(now) },
      ],
    });
    const seen: HeldRecord[] = [];
    const observer = new TailObserver({
      kafka,
      groupPrefix: 'tail-observer-test',
      topics: [topic],
      lookbackMs: 60_000,
      onRecord: (record) => seen.push(record),
    });
    observers.push(observer);
    await observer.start();
    await observer.whenCaughtUp();
    assert.deepEqual(
      seen.map((record) => record.value?.toString()),
      ['recent-2', 'recent-3'],
    );
    for (const offset of ['0', '1', '2', '3'])
      assert.equal(observer.hasObserved(topic, 0, offset), true, `offset ${offset}`);
    assert.equal(observer.hasObserved(topic, 0, '4'), false, 'offset 4 is not written yet');
    assert.equal(
      observer.hasObserved(`${topic}.other`, 0, '0'),
      true,
      'a topic it does not observe',
    );
    await admin.createPartitions({ topicPartitions: [{ topic, count: 2 }] });
    assert.equal(
      observer.hasObserved(topic, 1, '0'),
      false,
      'a partition added after start-up is not observed until the group assigns it',
    );

    await producer.send({ topic, acks: -1, messages: [{ value: 'late-4' }] });
    await until(() => observer.hasObserved(topic, 0, '4'), 'offset 4 observed');
    assert.equal(
      seen.at(-1)?.value?.toString(),
      'late-4',
      'onRecord ran before it counted as observed',
    );
    assert.equal(observer.hasObserved(topic, 0, '5'), false);
  });
});
