import { randomUUID } from 'node:crypto';
import { CE_HEADERS, MARKER_HEADERS, RAW_HEADERS, TOPICS } from '@crm/contracts';
import type { Consumer, IHeaders, Kafka } from '@crm/kafka';
import type { PipelineObservations } from './chaos-report.js';

function header(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

/** The trace id of a W3C traceparent (`00-<trace id>-<span id>-<flags>`). */
export function traceIdOf(traceparent: string | undefined): string | undefined {
  const id = traceparent?.split('-')[1];
  return id !== undefined && /^[0-9a-f]{32}$/.test(id) ? id : undefined;
}

/**
 * Follows the pipeline's topics from their beginning in a group of its own:
 * when each webhook reached ingress (raw `received-at`), which `webhook-id`s
 * the raw topic holds and how many of its records came from an ingress spool
 * (`spooled-at`), when its first event
 * was appended, every `ce_id` with its count, and how many records were
 * rejected or dead-lettered. The sender's trace id links them: ingress keeps
 * it in the raw record's `traceparent`, and the normalizers in the event's.
 * Each record is noted once, by its offset, however often the ledger's own
 * consumer is handed it again (a coordinator failover re-delivers whatever it
 * had not committed): what it counts twice is on the topic twice.
 *
 * After every broker was killed the ledger's own consumer can sit for minutes
 * in a group whose coordinator it lost (or give up for good): `refollow()`
 * starts again from the beginning in a new group, and the offsets noted keep
 * the counts right.
 */
export class PipelineLedger implements PipelineObservations {
  readonly receivedAt = new Map<string, number>();
  readonly firstEventAt = new Map<string, number>();
  readonly eventIdCounts = new Map<string, number>();
  readonly rawWebhookIds = new Map<string, number>();
  spooledRawRecords = 0;
  rejected = 0;
  deadLetters = 0;
  /** How often the ledger started following again in a new group. */
  refollows = 0;
  /** Highest offset noted per topic-partition: a rebalance re-delivers what was not committed. */
  private readonly noted = new Map<string, number>();
  private consumer: Consumer | undefined;
  private stopped = false;

  private constructor(private readonly kafka: Kafka) {}

  static async start(kafka: Kafka): Promise<PipelineLedger> {
    const ledger = new PipelineLedger(kafka);
    await ledger.follow();
    return ledger;
  }

  /** Drops the current consumer and follows every topic from its beginning in a new group. */
  async refollow(): Promise<void> {
    if (this.stopped) return;
    this.refollows += 1;
    await this.dropConsumer();
    await this.follow();
  }

  private async follow(): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: `chaos-ledger-${randomUUID()}`,
      maxWaitTimeInMs: 100,
      // A broker may be down for a while: keep the session through it.
      sessionTimeout: 60_000,
      retry: { retries: Number.MAX_SAFE_INTEGER, maxRetryTime: 2_000 },
    });
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart && consumer === this.consumer)
        void this.refollow().catch(() => undefined);
    });
    await consumer.connect();
    await consumer.subscribe({
      topics: [TOPICS.raw, TOPICS.events, TOPICS.rejected, TOPICS.dlq],
      fromBeginning: true,
    });
    await consumer.run({
      partitionsConsumedConcurrently: 4,
      eachBatch: async ({ batch }) => {
        const partition = `${batch.topic}:${batch.partition}`;
        let highest = this.noted.get(partition) ?? -1;
        for (const message of batch.messages) {
          const offset = Number(message.offset);
          if (offset <= highest) continue;
          highest = offset;
          this.note(batch.topic, message.headers, Number(message.timestamp));
        }
        this.noted.set(partition, highest);
        return Promise.resolve();
      },
    });
  }

  /** Disconnects the current consumer, waiting at most 10 s (a stuck one is left to itself). */
  private async dropConsumer(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    if (!consumer) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      consumer.disconnect().catch(() => undefined),
      new Promise((resolve) => (timer = setTimeout(resolve, 10_000))),
    ]);
    clearTimeout(timer);
  }

  private note(topic: string, headers: IHeaders | undefined, timestamp: number): void {
    if (topic === TOPICS.rejected) {
      this.rejected += 1;
      return;
    }
    if (topic === TOPICS.dlq) {
      this.deadLetters += 1;
      return;
    }
    const traceId = traceIdOf(header(headers, RAW_HEADERS.traceparent));
    if (topic === TOPICS.raw) {
      if (header(headers, MARKER_HEADERS.marker) !== undefined) return;
      const webhookId = header(headers, RAW_HEADERS.webhookId);
      if (webhookId !== undefined)
        this.rawWebhookIds.set(webhookId, (this.rawWebhookIds.get(webhookId) ?? 0) + 1);
      if (header(headers, RAW_HEADERS.spooledAt) !== undefined) this.spooledRawRecords += 1;
      if (traceId === undefined) return;
      const at = Date.parse(header(headers, RAW_HEADERS.receivedAt) ?? '');
      const known = this.receivedAt.get(traceId);
      if (Number.isFinite(at) && (known === undefined || at < known))
        this.receivedAt.set(traceId, at);
      return;
    }
    const id = header(headers, CE_HEADERS.id);
    if (id !== undefined) this.eventIdCounts.set(id, (this.eventIdCounts.get(id) ?? 0) + 1);
    if (traceId === undefined) return;
    const known = this.firstEventAt.get(traceId);
    if (known === undefined || timestamp < known) this.firstEventAt.set(traceId, timestamp);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.dropConsumer();
  }
}
