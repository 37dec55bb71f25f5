import { Logger } from '@nestjs/common';
import {
  BaseRpcContext,
  Server,
  type CustomTransportStrategy,
  type MessageHandler,
} from '@nestjs/microservices';
import {
  FAILURE_HEADERS,
  MAX_MESSAGE_BYTES,
  RAW_HEADERS,
  REDELIVERY_HEADERS,
  RETRY_TIERS,
  TOPICS,
  retryTopic,
} from '@crm/contracts';
import type {
  Batch,
  Consumer,
  EachBatchPayload,
  Kafka,
  KafkaConfig,
  KafkaMessage,
  Message,
  Producer,
} from 'kafkajs';
import { startConsumerSpan } from '@crm/observability';
import { Registry } from 'prom-client';
import { isObservable, lastValueFrom } from 'rxjs';
import { createDurableProducer, createKafka } from '../create-kafka.js';
import { kafkaConfigFromEnv } from '../kafka-config.js';
import { chunkByBytes } from '../message-size.js';
import { connectionLabel, type ConnectionCheck } from './connection-label.js';
import { ConsumerMetrics, type RecordOutcome } from './consumer-metrics.js';
import { recordBytes } from './dead-letter-ref.js';
import { DEFAULT_RETRY_DELAYS_MS, routeFailure } from './failure-routing.js';
import {
  normalizeResult,
  toInbound,
  type InboundRecord,
  type OutboundMessage,
} from './inbound-record.js';
import { runKeyOrdered } from './key-ordered.js';

export interface ConsumerServerOptions {
  readonly clientId: string;
  readonly groupId: string;
  /** The service's Kafka client; without one, a client from `kafka` settings (tests, tools). */
  readonly client?: Kafka;
  /** Client settings when no client is given; default from KAFKA_BROKERS and friends. */
  readonly kafka?: KafkaConfig;
  readonly metrics?: Registry;
  /** `@EventPattern` topic -> topic actually consumed (tests use unique topics). */
  readonly topicAliases?: Readonly<Record<string, string>>;
  /** One topic per retry tier (default crm.retry.<tier>.v1). */
  readonly retryTopics?: readonly string[];
  readonly dlqTopic?: string;
  /** Delay before retry n (default 1, 5, 15, 30 minutes); its length is the number of retries. */
  readonly retryDelaysMs?: readonly number[];
  /** Records with different keys handled at once within one partition (default 32). */
  readonly maxInFlightPerPartition?: number;
  /** Partitions handled at once (default 4). */
  readonly partitionsConsumedConcurrently?: number;
  /** Records handled, published and committed together (default 500). */
  readonly sliceSize?: number;
  /** A new group starts at the earliest offset, so nothing written before it joined is skipped (default true). */
  readonly fromBeginning?: boolean;
  /** How long the group waits for a silent member before reassigning its partitions (default 15 s). */
  readonly sessionTimeoutMs?: number;
  /**
   * Which connection ids the dead-letter metrics name (others count as `other`);
   * default: any well-formed id (see `wellFormedConnectionId`).
   */
  readonly isConfiguredConnection?: ConnectionCheck;
}

/**
 * A replica killed outright holds its partitions until the group gives up on
 * it: 15 s (not kafkajs's 30 s) keeps a consumer's death under the 30 s the
 * chaos run allows for recovery, with five heartbeats (every 3 s) in it.
 */
const SESSION_TIMEOUT_MS = 15_000;

/** Half of MAX_MESSAGE_BYTES: one request's batch for a partition always fits the topic limit. */
const PUBLISH_REQUEST_BYTES = MAX_MESSAGE_BYTES / 2;

interface Handled {
  readonly messages: readonly OutboundMessage[];
  readonly outcome: RecordOutcome;
  readonly onPublished?: () => void;
  readonly onAborted?: () => void;
}

function headerText(message: OutboundMessage, name: string): string {
  const value = message.headers?.[name];
  return value === undefined ? '' : value.toString();
}

/**
 * A failed publish, as kafkajs's consumer sees it: retriable, so it restarts
 * the consumer (kafkajs gives up on an error whose innermost `cause` is not
 * retriable, hence no `cause` here, only the message).
 */
class PublishFailedError extends Error {
  readonly retriable = true;

  constructor(error: unknown) {
    super(`publish failed: ${error instanceof Error ? error.message : String(error)}`);
    this.name = 'PublishFailedError';
  }
}

/**
 * A Nest transport over kafkajs that keeps the `@EventPattern` handler style
 * but consumes in batches: within a partition, records with different keys
 * run concurrently (bounded) and records with the same key in order; the
 * outputs handlers return are published in input order with an idempotent
 * acks=all producer; offsets are committed only after that. A failing record
 * goes to a retry tier or the DLQ and the partition moves on.
 *
 * A publish that failed leaves the idempotent producer's sequence numbers in
 * doubt (the broker may have written what kafkajs gave up on; after every
 * broker of a cluster died it can refuse the producer as out of order for
 * good), so the next publish goes through a new producer, and the failure is
 * handed to kafkajs as retriable: it restarts the consumer from the last
 * commit instead of giving up, and the slice is processed again.
 */
export class KafkaConsumerServer extends Server implements CustomTransportStrategy {
  private readonly kafka: Kafka;
  private readonly metrics: ConsumerMetrics;
  private readonly registry: Registry;
  private consumer?: Consumer;
  private producer?: Producer;
  /** Set by a failed publish: the next one replaces the producer first. */
  private renewProducer = false;
  /** The replacement under way: partitions publish concurrently, one replaces the producer. */
  private renewing: Promise<void> | undefined;
  private readonly patternOf = new Map<string, string>();
  private joined = false;
  private closing = false;
  private crashed = false;
  private readonly log = new Logger('KafkaConsumerServer');

  constructor(private readonly options: ConsumerServerOptions) {
    super();
    this.kafka =
      options.client ?? createKafka(options.kafka ?? kafkaConfigFromEnv(options.clientId));
    this.registry = options.metrics ?? new Registry();
    this.metrics = new ConsumerMetrics(this.registry);
  }

  /** Joined its group and consuming; false while starting, after a fatal crash, and while shutting down. */
  isReady(): boolean {
    return this.joined && !this.closing && !this.crashed;
  }

  /** False after kafkajs gave up restarting the consumer: the process should be restarted. */
  isLive(): boolean {
    return !this.crashed;
  }

  get metricsRegistry(): Registry {
    return this.registry;
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      await this.start();
      callback();
    } catch (error) {
      callback(error);
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.consumer?.disconnect();
    await this.producer?.disconnect();
  }

  on(): never {
    throw new Error('KafkaConsumerServer does not support event listeners');
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }

  private async start(): Promise<void> {
    const topics = [...this.messageHandlers.keys()].map((pattern) => {
      const topic = this.options.topicAliases?.[pattern] ?? pattern;
      this.patternOf.set(topic, pattern);
      return topic;
    });
    if (topics.length === 0) throw new Error('no @EventPattern handlers registered');
    this.producer = createDurableProducer(this.kafka);
    await this.producer.connect();
    const consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      maxWaitTimeInMs: 250,
      sessionTimeout: this.options.sessionTimeoutMs ?? SESSION_TIMEOUT_MS,
      heartbeatInterval: Math.min(
        3_000,
        Math.floor((this.options.sessionTimeoutMs ?? SESSION_TIMEOUT_MS) / 3),
      ),
      allowAutoTopicCreation: false,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.joined = true;
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.log.error(
        `consumer crashed: ${payload.error.message}${payload.restart ? ', restarting' : ', giving up'}`,
      );
      if (!payload.restart) this.crashed = true;
    });
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: this.options.fromBeginning ?? true });
    await consumer.run({
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 4,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.consumeBatch(payload),
    });
    this.log.log(`consuming ${topics.join(', ')} as group ${this.options.groupId}`);
  }

  private async consumeBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const sliceSize = this.options.sliceSize ?? 500;
    for (let start = 0; start < batch.messages.length; start += sliceSize) {
      if (!payload.isRunning() || payload.isStale()) return;
      const slice = batch.messages.slice(start, start + sliceSize);
      await this.processSlice(batch, slice);
      const last = slice[slice.length - 1];
      if (last) payload.resolveOffset(last.offset);
      await payload.commitOffsetsIfNecessary();
      await payload.heartbeat();
    }
    this.recordLag(batch);
  }

  private async processSlice(batch: Batch, slice: KafkaMessage[]): Promise<void> {
    const stopTimer = this.metrics.batchSeconds.startTimer({
      group: this.options.groupId,
      topic: batch.topic,
    });
    const handler = this.getHandlerByPattern(this.patternOf.get(batch.topic) ?? batch.topic);
    if (!handler) throw new Error(`no handler for topic ${batch.topic}`);
    const entries = slice.map((message) => toInbound(batch.topic, batch.partition, message));
    const results = await runKeyOrdered(
      entries,
      (entry) => entry.record.key?.toString('latin1') ?? null,
      this.options.maxInFlightPerPartition ?? 32,
      (entry) => this.handleOne(handler, entry.record, entry.control),
    );
    try {
      await this.publish(results.flatMap((result) => result.messages));
    } catch (error) {
      for (const result of results) result.onAborted?.();
      this.metrics.publishFailures.inc({ group: this.options.groupId });
      this.renewProducer = true;
      throw new PublishFailedError(error);
    }
    for (const result of results) {
      result.onPublished?.();
      this.metrics.records.inc({
        group: this.options.groupId,
        topic: batch.topic,
        outcome: result.outcome,
      });
    }
    stopTimer();
  }

  private async handleOne(
    handler: MessageHandler,
    record: InboundRecord,
    control: Map<string, string>,
  ): Promise<Handled> {
    const target = control.get(REDELIVERY_HEADERS.targetGroup);
    if (target !== undefined && target !== this.options.groupId)
      return { messages: [], outcome: 'skipped' };
    // One span per record, child of its traceparent; outputs that carry traceparent continue from it.
    const span = startConsumerSpan(record, this.options.groupId);
    try {
      const returned: unknown = await span.run(() => handler(record, new BaseRpcContext([record])));
      const value: unknown = isObservable(returned)
        ? await lastValueFrom(returned, { defaultValue: undefined })
        : returned;
      const result = normalizeResult(value as Parameters<typeof normalizeResult>[0]);
      return {
        ...result,
        messages: result.messages.map((message) => span.chain(this.resolveOutput(message))),
        outcome: 'handled',
      };
    } catch (error) {
      span.fail(error);
      const routed = routeFailure(record, error, control, {
        groupId: this.options.groupId,
        retryTopics: this.options.retryTopics ?? RETRY_TIERS.map(retryTopic),
        dlqTopic: this.options.dlqTopic ?? TOPICS.dlq,
        delaysMs: this.options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS,
        now: Date.now(),
      });
      this.log.warn(
        `${record.topic}[${record.partition}]@${record.offset} failed (${routed.code}): ${routed.outcome === 'retried' ? `retry via ${routed.message.topic}` : 'dead-lettered'}`,
      );
      return { messages: [routed.message], outcome: routed.outcome };
    } finally {
      span.end();
    }
  }

  /** Handlers address the DLQ by its contract name; the runtime routes it and names the failing group. */
  private resolveOutput(message: OutboundMessage): OutboundMessage {
    if (message.topic !== TOPICS.dlq) return message;
    return {
      ...message,
      topic: this.options.dlqTopic ?? TOPICS.dlq,
      headers: { [FAILURE_HEADERS.originGroup]: this.options.groupId, ...message.headers },
    };
  }

  /**
   * Sends outputs in input order, in produce requests of at most
   * PUBLISH_REQUEST_BYTES: a slice of large records must never become one
   * record batch over the topic's max.message.bytes (that would fail forever).
   */
  private async publish(messages: readonly OutboundMessage[]): Promise<void> {
    if (messages.length === 0 || !this.producer) return;
    if (this.renewProducer) {
      const old = this.producer;
      this.renewing ??= this.replaceProducer(old).finally(() => (this.renewing = undefined));
      await this.renewing;
    }
    for (const chunk of chunkByBytes(messages, PUBLISH_REQUEST_BYTES)) {
      const byTopic = new Map<string, Message[]>();
      for (const message of chunk) {
        const list = byTopic.get(message.topic) ?? [];
        list.push({
          key: message.key,
          value: message.value,
          headers: message.headers ? { ...message.headers } : undefined,
        });
        byTopic.set(message.topic, list);
      }
      await this.producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, list]) => ({ topic, messages: list })),
      });
      for (const [topic, list] of byTopic)
        this.metrics.published.inc({ group: this.options.groupId, topic }, list.length);
      this.countDeadLetters(chunk);
    }
  }

  private async replaceProducer(old: Producer): Promise<void> {
    const producer = createDurableProducer(this.kafka);
    this.producer = producer;
    // A publish of another partition still in flight on the old one fails: its slice is
    // processed again, as after any failed publish.
    await old.disconnect().catch(() => undefined);
    await producer.connect();
    this.renewProducer = false;
    this.log.warn('producer replaced after a failed publish');
  }

  private countDeadLetters(messages: readonly OutboundMessage[]): void {
    const dlqTopic = this.options.dlqTopic ?? TOPICS.dlq;
    for (const message of messages) {
      if (message.topic !== dlqTopic) continue;
      const labels = {
        group: this.options.groupId,
        connection: connectionLabel(
          headerText(message, RAW_HEADERS.connection),
          this.options.isConfiguredConnection,
        ),
        reason: headerText(message, FAILURE_HEADERS.dlqReason),
      };
      this.metrics.deadLetters.inc(labels);
      this.metrics.deadLetterBytes.inc(labels, recordBytes(message));
    }
  }

  private recordLag(batch: Batch): void {
    const lag = Number(batch.offsetLag());
    if (Number.isFinite(lag)) {
      this.metrics.lag.set(
        { group: this.options.groupId, topic: batch.topic, partition: String(batch.partition) },
        lag,
      );
    }
  }
}
