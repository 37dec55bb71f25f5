import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { toHeldRecord, type HeldRecord } from './delay/held-record.js';

export interface RecordPosition {
  readonly partition: number;
  /** Decimal offset. */
  readonly offset: string;
}

export interface ReadRecordsAtOptions {
  /** Give up (reject) when the read takes longer (default 60 s). */
  readonly timeoutMs?: number;
}

/** `partition:offset`: how readRecordsAt keys its answer. */
export function positionKey(position: RecordPosition): string {
  return `${position.partition}:${BigInt(position.offset)}`;
}

interface PartitionWant {
  readonly from: bigint;
  readonly offsets: Set<bigint>;
  /** The high watermark at the time of the call: nothing at or beyond it is read. */
  readonly end: bigint;
}

/**
 * The records of `topic` at the given positions, read by a throw-away
 * consumer group that commits nothing. A position whose record is gone
 * (below the log start after retention, removed by compaction, or beyond the
 * end) is absent from the answer. Each partition is read from its first
 * wanted offset until every wanted offset there is read or passed.
 */
export async function readRecordsAt(
  kafka: Kafka,
  topic: string,
  positions: readonly RecordPosition[],
  options: ReadRecordsAtOptions = {},
): Promise<Map<string, HeldRecord>> {
  const found = new Map<string, HeldRecord>();
  if (positions.length === 0) return found;
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `read-at-${randomUUID()}`;
  try {
    if (!(await admin.listTopics()).includes(topic)) return found;
    const wants = partitionWants(await admin.fetchTopicOffsets(topic), positions);
    if (wants.size > 0)
      await consumeWanted(kafka, topic, groupId, wants, found, options.timeoutMs ?? 60_000);
    return found;
  } finally {
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}

function partitionWants(
  offsets: readonly { partition: number; low: string; high: string }[],
  positions: readonly RecordPosition[],
): Map<number, PartitionWant> {
  const wants = new Map<number, PartitionWant>();
  for (const position of positions) {
    const bounds = offsets.find((o) => o.partition === position.partition);
    const offset = BigInt(position.offset);
    if (!bounds || offset < BigInt(bounds.low) || offset >= BigInt(bounds.high)) continue;
    const want = wants.get(position.partition);
    if (want) {
      want.offsets.add(offset);
      if (offset < want.from)
        wants.set(position.partition, { ...want, from: offset, offsets: want.offsets });
    } else
      wants.set(position.partition, {
        from: offset,
        offsets: new Set([offset]),
        end: BigInt(bounds.high),
      });
  }
  return wants;
}

async function consumeWanted(
  kafka: Kafka,
  topic: string,
  groupId: string,
  wants: Map<number, PartitionWant>,
  found: Map<string, HeldRecord>,
  timeoutMs: number,
): Promise<void> {
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100, allowAutoTopicCreation: false });
  const pending = new Map(
    [...wants].map(([partition, want]) => [partition, new Set(want.offsets)] as const),
  );
  let timer: NodeJS.Timeout | undefined;
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: false });
    const done = new Promise<void>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`reading ${topic} timed out`)), timeoutMs);
      consumer
        .run({
          autoCommit: false,
          eachBatch: ({ batch }) => {
            const want = wants.get(batch.partition);
            const left = pending.get(batch.partition);
            const first = batch.firstOffset();
            // A fetch from the live end (before our seek landed) starts at or past `end`;
            // ours always starts before it (the last record before the end is never compacted).
            if (!want || !left || first === null || BigInt(first) >= want.end)
              return Promise.resolve();
            for (const message of batch.messages) {
              const offset = BigInt(message.offset);
              if (left.delete(offset))
                found.set(
                  `${batch.partition}:${offset}`,
                  toHeldRecord(batch.topic, batch.partition, message),
                );
            }
            // Offsets passed without their record (compaction holes) are gone.
            const last = BigInt(batch.lastOffset());
            for (const wanted of left) if (wanted <= last) left.delete(wanted);
            if (left.size === 0 || last + 1n >= want.end) pending.delete(batch.partition);
            if (pending.size === 0) resolve();
            return Promise.resolve();
          },
        })
        .catch(reject);
    });
    for (const [partition, want] of wants)
      consumer.seek({ topic, partition, offset: want.from.toString() });
    await done;
  } finally {
    if (timer) clearTimeout(timer);
    await consumer.disconnect();
  }
}
