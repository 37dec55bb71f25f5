/**
 * kafkajs 2.2.4 as patched by patches/kafkajs+2.2.4.patch. A send whose
 * partition moves (NOT_LEADER_FOR_PARTITION) to a broker that has already
 * answered for its own partitions must still reach that partition. Stock
 * 2.2.4 skipped the broker on the retry and resolved the send without
 * writing those messages (tulios/kafkajs#1303): found by `npm run chaos`,
 * where acknowledged webhooks had no events after a broker came back.
 * And an admin offset lookup that meets a moved leader is retried on fresh
 * metadata (stock 2.2.4 gave up at once, which failed a retry scheduler
 * starting beside a just-created topic). The cluster here is a stand-in for
 * kafkajs's own Cluster object; the broker-backed proof is the chaos smoke.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';

const require = createRequire(import.meta.url);

interface ProduceCall {
  readonly nodeId: number;
  readonly partitions: readonly { partition: number; messages: readonly unknown[] }[];
}

type Retrier = (
  fn: (bail: (e: Error) => void, count: number, time: number) => Promise<unknown>,
) => Promise<unknown>;
type SendMessages = (options: {
  logger: unknown;
  cluster: unknown;
  partitioner: unknown;
  eosManager: unknown;
  retrier: Retrier;
}) => (request: {
  acks: number;
  timeout: number;
  topicMessages: { topic: string; messages: { key: string; value: string }[] }[];
}) => Promise<{ topicName: string; partition: number }[]>;

const createSendMessages = require('kafkajs/src/producer/sendMessages') as SendMessages;
const createRetry = require('kafkajs/src/retry') as (options: object) => Retrier;
const createAdmin = require('kafkajs/src/admin') as (options: {
  logger: unknown;
  retry: object;
  cluster: unknown;
}) => { fetchTopicOffsets(topic: string): Promise<{ partition: number; high: string }[]> };
const { createErrorFromCode } = require('kafkajs/src/protocol/error') as {
  createErrorFromCode: (code: number) => Error;
};
const { KafkaJSProtocolError } = require('kafkajs') as {
  KafkaJSProtocolError: new (e: Error) => Error;
};

const NOT_LEADER_FOR_PARTITION = 6;
const TOPIC = 't';

/** Two brokers; partition 1 starts on node 1, which answers NOT_LEADER once and then it is node 2's. */
function scenario() {
  const leaders = new Map<number, number>([
    [0, 2],
    [1, 1],
  ]);
  const calls: ProduceCall[] = [];
  let refused = false;
  const broker = (nodeId: number) => ({
    nodeId,
    produce: ({
      topicData,
    }: {
      topicData: { topic: string; partitions: ProduceCall['partitions'] }[];
    }) => {
      const partitions = topicData.flatMap((topic) => topic.partitions);
      calls.push({ nodeId, partitions });
      if (nodeId === 1 && !refused) {
        refused = true;
        leaders.set(1, 2); // the controller moved it meanwhile
        return Promise.reject(
          new KafkaJSProtocolError(createErrorFromCode(NOT_LEADER_FOR_PARTITION)),
        );
      }
      return Promise.resolve({
        topics: [
          {
            topicName: TOPIC,
            partitions: partitions.map((p) => ({
              partition: p.partition,
              errorCode: 0,
              baseOffset: '0',
            })),
          },
        ],
      });
    },
  });
  const brokers = new Map([1, 2].map((id) => [id, broker(id)]));
  const cluster = {
    targetTopics: new Set([TOPIC]),
    isConnected: () => true,
    addMultipleTargetTopics: () => Promise.resolve(),
    refreshMetadata: () => Promise.resolve(),
    refreshMetadataIfNecessary: () => Promise.resolve(),
    findTopicPartitionMetadata: () =>
      [...leaders].map(([partitionId, leader]) => ({ partitionId, leader })),
    findLeaderForPartitions: (_topic: string, partitions: readonly string[]) => {
      const byLeader: Record<string, number[]> = {};
      for (const partition of partitions) {
        const leader = String(leaders.get(Number(partition)));
        (byLeader[leader] ??= []).push(Number(partition));
      }
      return byLeader;
    },
    findBroker: ({ nodeId }: { nodeId: string }) => Promise.resolve(brokers.get(Number(nodeId))),
  };
  const eosManager = {
    isTransactional: () => false,
    acquireBrokerLock: () => Promise.resolve(),
    releaseBrokerLock: () => Promise.resolve(),
    getSequence: () => 0,
    updateSequence: () => undefined,
    getProducerId: () => -1,
    getProducerEpoch: () => 0,
  };
  const quiet = {
    debug: () => undefined,
    error: () => undefined,
    warn: () => undefined,
    info: () => undefined,
  };
  const send = createSendMessages({
    logger: quiet,
    cluster,
    // groupMessagesPerPartition asks the partitioner; here the message key names its partition.
    partitioner: ({ message }: { message: { key: string } }) => Number(message.key),
    eosManager,
    retrier: createRetry({ retries: 3, initialRetryTime: 1, maxRetryTime: 5 }),
  });
  return { send, calls };
}

describe('kafkajs sendMessages (patched): a partition whose leader moved', () => {
  it('is sent again to its new leader even when that broker already answered for its own', async () => {
    const { send, calls } = scenario();
    const response = await send({
      acks: -1,
      timeout: 1_000,
      topicMessages: [
        {
          topic: TOPIC,
          messages: [
            { key: '0', value: 'a' },
            { key: '1', value: 'b' },
          ],
        },
      ],
    });
    // The first call to node 1 was refused; every other call was accepted.
    const refusedIndex = calls.findIndex((call) => call.nodeId === 1);
    const accepted = calls.filter((_, index) => index !== refusedIndex);
    assert.deepEqual(
      accepted.flatMap((call) => call.partitions.map((p) => p.partition)).sort(),
      [0, 1],
      'every partition reached a leader that accepted it, partition 0 only once',
    );
    assert.deepEqual(
      accepted.find((call) => call.partitions.some((p) => p.partition === 1))?.nodeId,
      2,
      'partition 1 went to its new leader, the broker that had already answered',
    );
    assert.deepEqual(
      response.map((entry) => entry.partition).sort(),
      [0, 1],
      'the send reports both partitions acknowledged',
    );
  });
});

describe('kafkajs admin.fetchTopicOffsets (patched): a partition whose leader moved', () => {
  it('is looked up again on fresh metadata instead of failing after one try', async () => {
    let refreshed = 0;
    let refused = false;
    const cluster = {
      addTargetTopic: () => Promise.resolve(),
      refreshMetadataIfNecessary: () => Promise.resolve(),
      refreshMetadata: () => {
        refreshed += 1;
        return Promise.resolve();
      },
      findTopicPartitionMetadata: () => [{ partitionId: 0, leader: 1 }],
      fetchTopicsOffset: ([request]: { topic: string; fromBeginning: boolean }[]) => {
        if (!refused) {
          refused = true;
          return Promise.reject(
            new KafkaJSProtocolError(createErrorFromCode(NOT_LEADER_FOR_PARTITION)),
          );
        }
        const offset = request?.fromBeginning ? '0' : '42';
        return Promise.resolve([{ topic: TOPIC, partitions: [{ partition: 0, offset }] }]);
      },
    };
    const quiet = {
      debug: () => undefined,
      error: () => undefined,
      warn: () => undefined,
      info: () => undefined,
    };
    const admin = createAdmin({
      logger: { ...quiet, namespace: () => quiet },
      retry: { retries: 3, initialRetryTime: 1, maxRetryTime: 5 },
      cluster,
    });
    const offsets = await admin.fetchTopicOffsets(TOPIC);
    assert.deepEqual(
      offsets.map(({ partition, high }) => ({ partition, high })),
      [{ partition: 0, high: '42' }],
    );
    assert.equal(refreshed, 1, 'metadata refreshed once, after the refusal');
  });
});
