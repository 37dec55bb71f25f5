import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';

export interface ReadBackRecord {
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly headers: Readonly<Record<string, Buffer | undefined>>;
  /** Kafka record timestamp, epoch milliseconds. */
  readonly timestamp: number;
}

interface Range {
  readonly start: string;
  next: bigint;
  readonly last: bigint;
}

export interface ReadSinceOptions {
  /** Give up (reject) when the read-back takes longer (default 60 s). */
  readonly timeoutMs?: number;
  /** Client id prefix of the throw-away consumer group. */
  readonly groupPrefix?: string;
}

function firstHeaderValues(
  headers: Record<string, Buffer | string | (Buffer | string)[] | undefined> | undefined,
): Record<string, Buffer | undefined> {
  const out: Record<string, Buffer | undefined> = {};
  for (const [name, raw] of Object.entries(headers ?? {})) {
    const first = Array.isArray(raw) ? raw[0] : raw;
    out[name] = typeof first === 'string' ? Buffer.from(first) : first;
  }
  return out;
}

/**
 * Reads every record of `topic` written since `sinceMs` (by record timestamp,
 * via offsetsForTimes) up to the end offsets at the time of the call, then
 * stops. Uses a throw-away consumer group that commits nothing and is deleted
 * afterwards. Values are not decoded: callers read keys and headers.
 */
export async function readTopicSince(
  kafka: Kafka,
  topic: string,
  sinceMs: number,
  onRecord: (record: ReadBackRecord) => void,
  options: ReadSinceOptions = {},
): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `${options.groupPrefix ?? 'read-back'}-${randomUUID()}`;
  try {
    if (!(await admin.listTopics()).includes(topic))
      throw new Error(
        `topic ${topic} does not exist: create the project's topics (npm run kafka:up, or the topics job of the deployment)`,
      );
    const starts = await admin.fetchTopicOffsetsByTimestamp(topic, sinceMs);
    const ends = await admin.fetchTopicOffsets(topic);
    const pending = new Map<number, Range>();
    for (const { partition, offset } of starts) {
      const high = BigInt(ends.find((end) => end.partition === partition)?.offset ?? '0');
      if (BigInt(offset) < high)
        pending.set(partition, { start: offset, next: BigInt(offset), last: high - 1n });
    }
    if (pending.size === 0) return 0;
    return await consumeRange(
      kafka,
      topic,
      groupId,
      pending,
      onRecord,
      options.timeoutMs ?? 60_000,
    );
  } finally {
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}

async function consumeRange(
  kafka: Kafka,
  topic: string,
  groupId: string,
  pending: Map<number, Range>,
  onRecord: (record: ReadBackRecord) => void,
  timeoutMs: number,
): Promise<number> {
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100, allowAutoTopicCreation: false });
  let count = 0;
  let timer: NodeJS.Timeout | undefined;
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: false });
    let finish: () => void = () => undefined;
    let fail: (error: unknown) => void = () => undefined;
    const done = new Promise<void>((resolve, reject) => {
      finish = resolve;
      fail = reject;
    });
    timer = setTimeout(() => fail(new Error(`read-back of ${topic} timed out`)), timeoutMs);
    await consumer.run({
      autoCommit: false,
      eachBatch: ({ batch }) => {
        const range = pending.get(batch.partition);
        if (!range) return Promise.resolve();
        for (const message of batch.messages) {
          const offset = BigInt(message.offset);
          // Records before our seek landed (from the live end) are not in the range.
          if (offset < range.next || offset > range.last) continue;
          range.next = offset + 1n;
          count++;
          onRecord({
            partition: batch.partition,
            offset: message.offset,
            key: message.key,
            headers: firstHeaderValues(message.headers),
            timestamp: Number(message.timestamp),
          });
        }
        if (range.next > range.last) pending.delete(batch.partition);
        if (pending.size === 0) finish();
        return Promise.resolve();
      },
    });
    for (const [partition, { start }] of pending)
      consumer.seek({ topic, partition, offset: start });
    await done;
    return count;
  } finally {
    if (timer) clearTimeout(timer);
    await consumer.disconnect();
  }
}

export interface FollowOptions {
  /** Start at the earliest offset (default: only records written from now on). */
  readonly fromBeginning?: boolean;
  /** Start at the first record written at or after this time (epoch ms). */
  readonly sinceMs?: number;
}

/**
 * Follows a topic until the returned `stop` is called, in a throw-away group
 * that commits nothing (for tools that print a topic).
 */
export async function followTopic(
  kafka: Kafka,
  topic: string,
  onRecord: (record: ReadBackRecord & { value: Buffer | null }) => void,
  options: FollowOptions = {},
): Promise<() => Promise<void>> {
  const groupId = `follow-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: options.fromBeginning ?? false });
  await consumer.run({
    autoCommit: false,
    eachMessage: ({ partition, message }) => {
      onRecord({
        partition,
        offset: message.offset,
        key: message.key,
        value: message.value,
        headers: firstHeaderValues(message.headers),
        timestamp: Number(message.timestamp),
      });
      return Promise.resolve();
    },
  });
  if (options.sinceMs !== undefined) {
    const admin = kafka.admin();
    await admin.connect();
    try {
      for (const { partition, offset } of await admin.fetchTopicOffsetsByTimestamp(
        topic,
        options.sinceMs,
      ))
        consumer.seek({ topic, partition, offset });
    } finally {
      await admin.disconnect();
    }
  }
  return async () => {
    await consumer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  };
}
