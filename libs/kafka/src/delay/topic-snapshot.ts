import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { toHeldRecord, type HeldRecord } from './held-record.js';

export interface TopicSnapshotOptions {
  /** Give up if the end is not reached within this time (default 60 s). */
  readonly timeoutMs?: number;
}

/**
 * Every record of `topic` from the beginning up to the high watermarks at the
 * time of the call, read by a throwaway consumer that never commits (no
 * group state is left behind). `visit` sees the records partition by
 * partition in offset order. For operator tools (tools/dlq), not services.
 */
export async function readTopicSnapshot(
  kafka: Kafka,
  topic: string,
  visit: (record: HeldRecord) => void,
  options: TopicSnapshotOptions = {},
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  const remaining = new Map<number, bigint>();
  try {
    for (const { partition, high, low } of await admin.fetchTopicOffsets(topic)) {
      if (BigInt(high) > BigInt(low)) remaining.set(partition, BigInt(high));
    }
  } finally {
    await admin.disconnect();
  }
  if (remaining.size === 0) return;
  const consumer = kafka.consumer({
    groupId: `snapshot.${randomUUID()}`,
    maxWaitTimeInMs: 100,
    allowAutoTopicCreation: false,
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`reading ${topic} timed out`)),
        options.timeoutMs ?? 60_000,
      );
      consumer
        .run({
          autoCommit: false,
          eachBatch: ({ batch }) => {
            const end = remaining.get(batch.partition);
            for (const message of batch.messages) {
              if (end === undefined || BigInt(message.offset) >= end) break;
              visit(toHeldRecord(batch.topic, batch.partition, message));
              if (BigInt(message.offset) + 1n >= end) remaining.delete(batch.partition);
            }
            if (end !== undefined && BigInt(batch.lastOffset()) + 1n >= end)
              remaining.delete(batch.partition);
            if (remaining.size === 0) {
              clearTimeout(timer);
              resolve();
            }
            return Promise.resolve();
          },
        })
        .catch(reject);
    });
    await done;
  } finally {
    await consumer.disconnect();
  }
}
