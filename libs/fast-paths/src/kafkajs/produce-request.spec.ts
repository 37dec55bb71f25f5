import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { installedKafkajs } from '../test-support/installed-fast-paths.js';
import { randomRecords } from '../test-support/random-records.js';
import { seededRandom } from '../test-support/seeded-random.js';
import { stockKafkajsModule } from '../test-support/stock-kafkajs.js';
import type { FramingArgs, ProduceArgs, ProduceMessage } from './produce-request.js';

const require = createRequire(import.meta.url);
const { produceRequest, frameRequest } = installedKafkajs().produceRequest;
type Encode = { encode(): Promise<{ buffer: Buffer }> };
const stockProduce = stockKafkajsModule<(args: ProduceArgs) => Encode>(
  'kafkajs/src/protocol/requests/produce/v3/request',
);
const stockFrame = stockKafkajsModule<
  (args: FramingArgs) => Promise<{ buffer: Buffer; size(): number }>
>('kafkajs/src/protocol/request');
const Long = require('kafkajs/src/utils/long') as { fromValue(value: unknown): unknown };

const NOW = 1_700_000_000_123;

function randomProduceArgs(seed: number): ProduceArgs {
  const random = seededRandom(seed);
  const records = randomRecords(200, seed);
  let next = 0;
  const timestamp = (): ProduceMessage['timestamp'] => {
    const roll = random();
    // Different digit counts: kafkajs orders timestamps as strings, not numbers.
    if (roll < 0.1) return [999, 1_000, '99', 100_000][Math.floor(random() * 4)];
    if (roll < 0.4) return NOW - Math.floor(random() * 5_000);
    if (roll < 0.7) return String(NOW + Math.floor(random() * 5_000));
    return roll < 0.85 ? undefined : null;
  };
  const topics = 1 + Math.floor(random() * 3);
  return {
    acks: random() < 0.7 ? -1 : 1,
    timeout: 30_000,
    transactionalId: random() < 0.2 ? 'tx-Сделка' : random() < 0.5 ? null : undefined,
    producerId: random() < 0.3 ? undefined : random() < 0.5 ? Long.fromValue(4_711) : 123_456,
    producerEpoch: random() < 0.3 ? undefined : Math.floor(random() * 10),
    topicData: Array.from({ length: topics }, (_, t) => ({
      topic: `crm.webhooks.raw.v1-${t}-тема`,
      partitions: Array.from({ length: 1 + Math.floor(random() * 4) }, (_, p) => ({
        partition: p * 3,
        ...(random() < 0.5 ? { firstSequence: Math.floor(random() * 1e6) } : {}),
        messages: Array.from({ length: 1 + Math.floor(random() * 25) }, () => {
          const { key, value, headers } = records[next++ % records.length] ?? {};
          return { key, value, headers, timestamp: timestamp() };
        }),
      })),
    })),
  };
}

describe('kafkajs produce request', () => {
  it('is the produce request and framing kafkajs loads', () => {
    assert.equal(require('kafkajs/src/protocol/requests/produce/v3/request'), produceRequest);
    assert.equal(require('kafkajs/src/protocol/request'), frameRequest);
  });

  it('writes the same bytes as kafkajs for random multi-topic, multi-partition requests', async (t) => {
    // Messages without a timestamp take "now": the same now for both encoders.
    t.mock.method(Date, 'now', () => NOW);
    for (let seed = 1; seed <= 60; seed += 1) {
      const args = randomProduceArgs(seed);
      const ours = await produceRequest(args).encode();
      const theirs = await stockProduce(args).encode();
      assert.deepEqual(ours.buffer, theirs.buffer, `seed ${seed}`);
    }
  });

  it('leaves compressed requests to kafkajs', async (t) => {
    t.mock.method(Date, 'now', () => NOW);
    const args = { ...randomProduceArgs(7), compression: 1 };
    const request = produceRequest(args);
    assert.equal(request.apiVersion, 3);
    // GZIP output is deterministic for the same input: the stock path, byte for byte.
    assert.deepEqual((await request.encode()).buffer, (await stockProduce(args).encode()).buffer);
  });

  it('frames any request like kafkajs, with and without a client id', async (t) => {
    t.mock.method(Date, 'now', () => NOW);
    for (const clientId of ['ingress', 'клиент', null]) {
      const request = { ...produceRequest(randomProduceArgs(3)), apiVersion: 7 };
      const ours = await frameRequest({ correlationId: 42, clientId, request });
      const theirs = await stockFrame({ correlationId: 42, clientId, request });
      assert.deepEqual(ours.buffer, theirs.buffer, String(clientId));
      assert.equal(ours.size(), theirs.size());
    }
  });
});
