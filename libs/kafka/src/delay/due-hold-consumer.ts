import type { Consumer, EachBatchPayload, Kafka, Message } from 'kafkajs';
import { BatchingProducer } from '../batching-producer.js';
import { toHeldRecord, type ForwardMessage, type HeldRecord } from './held-record.js';
import { PartitionTimers } from './partition-timers.js';

/** What to do with the head record of a partition. */
export type HoldDecision =
  | { readonly kind: 'hold'; readonly untilMs: number }
  | { readonly kind: 'forward'; readonly messages: readonly ForwardMessage[] };

/** Where a partition stands after a batch: its first unforwarded offset and, if held, until when. */
export interface PartitionProgress {
  readonly topic: string;
  readonly partition: number;
  readonly nextOffset: bigint;
  readonly highWatermark: bigint;
  readonly heldUntil: number | undefined;
}

export interface DueHoldConsumerOptions {
  readonly kafka: Kafka;
  readonly groupId: string;
  readonly topics: readonly string[];
  /** Pure decision for one record; called in offset order, stops the partition at the first `hold`. */
  readonly decide: (record: HeldRecord, now: number) => HoldDecision;
  /** After the forwarded messages of `records` were acknowledged (acks=all) and their offsets committed. */
  readonly onForwarded?: (records: readonly HeldRecord[], ackedAt: number) => void;
  readonly onProgress?: (progress: PartitionProgress) => void;
  /** After each (re)join: the tier partitions this member now holds, by topic. */
  readonly onAssignment?: (assignment: Readonly<Record<string, readonly number[]>>) => void;
  readonly onCrash?: (error: Error, restarting: boolean) => void;
  /** Longest fetch long-poll; bounds how late a resumed partition is fetched (default 100 ms). */
  readonly maxWaitTimeInMs?: number;
  /** Records forwarded, acknowledged and committed together (default 500). */
  readonly sliceSize?: number;
  /** Partitions handled at once; their forwards share produce requests (default 16). */
  readonly partitionsConsumedConcurrently?: number;
  /**
   * Fetch size per partition (default 128 KiB). A held head is fetched again
   * on every resume, with whatever follows it: small fetches keep that re-read
   * (and the garbage it makes) small; a slice of due records still fits.
   */
  readonly maxBytesPerPartition?: number;
}

/**
 * Holds every partition of `topics` until its head record is due, without a
 * timer per record and without polling: the partition is paused and one
 * timer per paused partition resumes it at the head's due time.
 *
 * How kafkajs 2.2.4 makes this safe (node_modules/kafkajs/src/consumer):
 * - the next fetch of a partition starts at the last RESOLVED offset + 1
 *   (offsetManager.nextOffset); eachBatchAutoResolve is off and the held head is
 *   never resolved, so after resume() the head is fetched again, nothing skipped;
 * - a paused partition is left out of fetch requests and its data dropped from
 *   responses (consumerGroup.fetch), and a node's next fetch starts only after
 *   the previous batches were processed (fetcher.js), so no stale batch races;
 * - offsets are committed explicitly after each acknowledged slice, so after a
 *   restart or rebalance consumption resumes at the first unforwarded record,
 *   whose due time is absolute (from the record) and is checked again.
 * On every (re)join all pauses and timers are dropped and heads re-evaluated.
 */
export class DueHoldConsumer {
  private readonly consumer: Consumer;
  private readonly producer: BatchingProducer;
  private readonly timers = new PartitionTimers();
  private joined = false;
  private crashed = false;
  private stopping = false;

  constructor(private readonly options: DueHoldConsumerOptions) {
    this.consumer = options.kafka.consumer({
      groupId: options.groupId,
      maxWaitTimeInMs: options.maxWaitTimeInMs ?? 100,
      maxBytesPerPartition: options.maxBytesPerPartition ?? 128 * 1024,
      allowAutoTopicCreation: false,
    });
    this.producer = new BatchingProducer(options.kafka);
  }

  isReady(): boolean {
    return this.joined && !this.crashed && !this.stopping;
  }

  isLive(): boolean {
    return !this.crashed;
  }

  /** Topic-partitions currently paused because their head is not due. */
  held(): { topic: string; partitions: number[] }[] {
    return this.consumer.paused();
  }

  async start(): Promise<void> {
    const { consumer } = this;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      this.joined = true;
      this.options.onAssignment?.(payload.memberAssignment);
      this.timers.clear();
      const paused = consumer.paused();
      if (paused.length > 0) consumer.resume(paused);
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) this.crashed = true;
      this.options.onCrash?.(payload.error, payload.restart);
    });
    await this.producer.connect();
    await consumer.connect();
    await consumer.subscribe({ topics: [...this.options.topics], fromBeginning: true });
    await consumer.run({
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 16,
      eachBatch: (payload) => this.consumeBatch(payload),
    });
  }

  /** Finishes the batch in progress (forward, ack, commit), then leaves the group. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.timers.clear();
    await this.consumer.disconnect();
    await this.producer.disconnect();
  }

  private async consumeBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const sliceSize = this.options.sliceSize ?? 500;
    let slice: HeldRecord[] = [];
    let messages: ForwardMessage[] = [];
    let nextOffset = BigInt(batch.messages[0]?.offset ?? batch.firstOffset() ?? '0');
    let heldUntil: number | undefined;
    for (const message of batch.messages) {
      if (!payload.isRunning() || payload.isStale()) return;
      const record = toHeldRecord(batch.topic, batch.partition, message);
      const decision = this.options.decide(record, Date.now());
      if (decision.kind === 'hold') {
        heldUntil = decision.untilMs;
        break;
      }
      slice.push(record);
      messages.push(...decision.messages);
      nextOffset = BigInt(message.offset) + 1n;
      if (slice.length >= sliceSize) {
        await this.forward(payload, slice, messages, nextOffset);
        slice = [];
        messages = [];
      }
    }
    if (slice.length > 0) await this.forward(payload, slice, messages, nextOffset);
    if (heldUntil !== undefined) this.hold(payload, heldUntil);
    this.options.onProgress?.({
      topic: batch.topic,
      partition: batch.partition,
      nextOffset,
      highWatermark: BigInt(batch.highWatermark),
      heldUntil,
    });
  }

  private async forward(
    payload: EachBatchPayload,
    records: readonly HeldRecord[],
    messages: readonly ForwardMessage[],
    nextOffset: bigint,
  ): Promise<void> {
    const { topic, partition } = payload.batch;
    await Promise.all(
      messages.map((message) => this.producer.send(message.topic, toKafka(message))),
    );
    const last = records[records.length - 1];
    if (last) payload.resolveOffset(last.offset);
    await payload.commitOffsetsIfNecessary({
      topics: [{ topic, partitions: [{ partition, offset: nextOffset.toString() }] }],
    });
    this.options.onForwarded?.(records, Date.now());
    await payload.heartbeat();
  }

  private hold(payload: EachBatchPayload, untilMs: number): void {
    const { topic, partition } = payload.batch;
    const resume = payload.pause();
    this.timers.schedule(topic, partition, untilMs, () => {
      if (!this.stopping) resume();
    });
  }
}

function toKafka(message: ForwardMessage): Message {
  return {
    key: message.key,
    value: message.value,
    headers: { ...message.headers },
    ...(message.partition === undefined ? {} : { partition: message.partition }),
  };
}
