import { randomUUID } from 'node:crypto';
import type { Admin, Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { toHeldRecord, type HeldRecord } from './held-record.js';

export interface TailObserverOptions {
  readonly kafka: Kafka;
  /** Prefix of the private consumer group (a random suffix makes it unique per instance). */
  readonly groupPrefix: string;
  readonly topics: readonly string[];
  /** Start this far back in time (by record timestamp), so state derived from the window survives a restart. */
  readonly lookbackMs: number;
  readonly onRecord: (record: HeldRecord) => void;
  readonly onCrash?: (error: Error, restarting: boolean) => void;
}

/**
 * Sees every record written to `topics` from `now - lookbackMs` on, in a
 * private group that never commits (every instance sees every partition;
 * the broker forgets the group when it leaves). Positions are kept in memory
 * and restored on a rejoin, so a record is observed once per process.
 */
export class TailObserver {
  private readonly consumer: Consumer;
  private readonly next = new Map<string, bigint>();
  private startHigh = new Map<string, bigint>();
  private startOffsets = new Map<string, string>();
  private crashed = false;
  private markCaughtUp: () => void = () => undefined;
  private readonly caughtUpOnce = new Promise<void>((resolve) => {
    this.markCaughtUp = resolve;
  });

  constructor(private readonly options: TailObserverOptions) {
    this.consumer = options.kafka.consumer({
      groupId: `${options.groupPrefix}.observer.${randomUUID()}`,
      maxWaitTimeInMs: 100,
      allowAutoTopicCreation: false,
      // Notice partitions added to a tier soon (kafkajs's default is 5 min): until the observer is
      // assigned them, their due records wait for it.
      metadataMaxAge: 30_000,
    });
  }

  /** True once everything that existed at start-up has been observed. */
  caughtUp(): boolean {
    for (const [id, high] of this.startHigh) {
      if ((this.next.get(id) ?? BigInt(this.startOffsets.get(id) ?? '0')) < high) return false;
    }
    return true;
  }

  /** Resolves once everything that existed at start-up has been observed. */
  whenCaughtUp(): Promise<void> {
    return this.caughtUpOnce;
  }

  isLive(): boolean {
    return !this.crashed;
  }

  /**
   * True once `onRecord` has been called for the record at `offset` of this
   * topic-partition, or the record lies before where observation started (so
   * it never will be). A partition of an observed topic that was added after
   * start-up is observed from its first offset once the group assigns it, and
   * counts as not observed until then; topics not observed count as observed.
   */
  hasObserved(topic: string, partition: number, offset: string): boolean {
    const id = `${partition}:${topic}`;
    const start = this.startOffsets.get(id);
    const next = this.next.get(id) ?? (start === undefined ? undefined : BigInt(start));
    if (next === undefined) return !this.options.topics.includes(topic);
    return BigInt(offset) < next;
  }

  async start(): Promise<void> {
    await this.locateStart();
    if (this.caughtUp()) this.markCaughtUp();
    const { consumer } = this;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      // Partitions added since start-up: observed from their beginning.
      for (const [topic, partitions] of Object.entries(payload.memberAssignment))
        for (const partition of partitions) {
          const id = `${partition}:${topic}`;
          if (!this.startOffsets.has(id)) this.startOffsets.set(id, '0');
        }
      for (const [id, offset] of this.startOffsets) {
        const [partition, topic] = splitId(id);
        const known = this.next.get(id);
        consumer.seek({
          topic,
          partition,
          offset: known === undefined ? offset : known.toString(),
        });
      }
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) this.crashed = true;
      this.options.onCrash?.(payload.error, payload.restart);
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [...this.options.topics], fromBeginning: false });
    await consumer.run({
      autoCommit: false,
      eachBatch: (payload) => this.observe(payload),
    });
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }

  private observe(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const id = `${batch.partition}:${batch.topic}`;
    for (const message of batch.messages) {
      if (!payload.isRunning() || payload.isStale()) break;
      this.options.onRecord(toHeldRecord(batch.topic, batch.partition, message));
      this.next.set(id, BigInt(message.offset) + 1n);
      payload.resolveOffset(message.offset);
    }
    if (this.caughtUp()) this.markCaughtUp();
    return Promise.resolve();
  }

  /** Offsets of the first record at or after `now - lookbackMs`, and the high watermarks now. */
  private async locateStart(): Promise<void> {
    const admin: Admin = this.options.kafka.admin();
    await admin.connect();
    try {
      const since = Date.now() - this.options.lookbackMs;
      for (const topic of this.options.topics) {
        const highs = await admin.fetchTopicOffsets(topic);
        const starts = await admin.fetchTopicOffsetsByTimestamp(topic, since);
        for (const { partition, high } of highs) {
          const id = `${partition}:${topic}`;
          const start = starts.find((entry) => entry.partition === partition)?.offset;
          this.startHigh.set(id, BigInt(high));
          this.startOffsets.set(id, start === undefined || start === '-1' ? high : start);
        }
      }
    } finally {
      await admin.disconnect();
    }
  }
}

function splitId(id: string): [number, string] {
  const colon = id.indexOf(':');
  return [Number(id.slice(0, colon)), id.slice(colon + 1)];
}
