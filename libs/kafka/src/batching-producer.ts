import { PipelineError } from '@crm/contracts';
import type { Kafka, Message, Producer, ProducerConfig, TopicMessages } from 'kafkajs';
import { createDurableProducer } from './create-kafka.js';
import { messageSize } from './message-size.js';

export interface BatchingProducerOptions {
  /** How long the first queued message waits for company before a batch is sent (default 2 ms). */
  lingerMs?: number;
  /** Records per produce request at most (default 1,000). */
  maxBatchRecords?: number;
  /** Approximate value+key+header bytes per produce request at most (default 4 MiB). */
  maxBatchBytes?: number;
  /** Queued bytes beyond which send() rejects at once instead of queueing (default 64 MiB). */
  maxQueuedBytes?: number;
  /** Settings for the underlying durable (idempotent, acks=all) producer. */
  producer?: ProducerConfig;
  /** Called after each acknowledged produce request, e.g. for a batch-size metric. */
  onBatch?: (records: number, bytes: number) => void;
}

interface Pending {
  readonly topic: string;
  readonly message: Message;
  readonly bytes: number;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/** send() refused at once: not connected, shutting down, or too much already queued. */
export class ProducerUnavailableError extends PipelineError {
  constructor(message: string) {
    super('producer_unavailable', message, true);
  }
}

/**
 * Groups concurrent `send` calls into shared produce requests. kafkajs's
 * idempotent producer keeps one request in flight per broker, so one request
 * per message would queue; here messages gather while a request is in flight
 * (and for at most `lingerMs` otherwise) and go out together as one
 * `sendBatch`, grouped per topic. Each `send` settles with its batch: resolved
 * once the broker acknowledged it with acks=all, rejected if the batch failed.
 *
 * A request that failed after all its retries leaves the idempotent producer
 * in an unknown state: kafkajs rolls the partition's sequence number back, but
 * the broker may have written the batch (a lost response), so the next batch
 * would reuse those sequence numbers and be taken for a duplicate (acknowledged,
 * not written), or be refused as out of order for good (as seen after every
 * broker of a cluster was killed). So after a failed request the next one goes
 * through a new kafkajs producer, with a new producer id.
 */
export class BatchingProducer {
  private producer: Producer;
  private readonly kafka: Kafka;
  private readonly producerConfig: ProducerConfig | undefined;
  /** Set by a failed request: the next one renews the producer first. */
  private renewNeeded = false;
  private producers = 1;
  private inFlightSince: number | undefined;
  private readonly lingerMs: number;
  private readonly maxBatchRecords: number;
  private readonly maxBatchBytes: number;
  private readonly maxQueuedBytes: number;
  private readonly onBatch: ((records: number, bytes: number) => void) | undefined;
  private queue: Pending[] = [];
  private queuedBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private isConnected = false;

  constructor(kafka: Kafka, options: BatchingProducerOptions = {}) {
    this.kafka = kafka;
    this.producerConfig = options.producer;
    this.producer = createDurableProducer(kafka, options.producer);
    this.lingerMs = options.lingerMs ?? 2;
    this.maxBatchRecords = options.maxBatchRecords ?? 1_000;
    this.maxBatchBytes = options.maxBatchBytes ?? 4 * 1024 * 1024;
    this.maxQueuedBytes = options.maxQueuedBytes ?? 64 * 1024 * 1024;
    this.onBatch = options.onBatch;
  }

  get connected(): boolean {
    return this.isConnected;
  }

  /** How long the request in flight has waited so far (0 when none): long while Kafka is away. */
  get inFlightMs(): number {
    return this.inFlightSince === undefined ? 0 : performance.now() - this.inFlightSince;
  }

  /** How many kafkajs producers this one has used: one, plus one per failed request. */
  get producerGenerations(): number {
    return this.producers;
  }

  async connect(): Promise<void> {
    await this.producer.connect();
    this.isConnected = true;
  }

  /** Refuses new sends, sends everything queued and waits for it, then disconnects. */
  async disconnect(): Promise<void> {
    this.isConnected = false;
    await this.flush();
    await this.producer.disconnect();
  }

  /** Resolves when every message queued so far has been acknowledged or failed. */
  async flush(): Promise<void> {
    while (this.queue.length > 0 || this.inFlight) {
      if (!this.inFlight) this.dispatch();
      await this.inFlight;
    }
  }

  send(topic: string, message: Message): Promise<void> {
    if (!this.isConnected)
      return Promise.reject(new ProducerUnavailableError('producer not connected'));
    const bytes = messageSize(message);
    if (this.queuedBytes + bytes > this.maxQueuedBytes) {
      return Promise.reject(new ProducerUnavailableError('producer queue full'));
    }
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ topic, message, bytes, resolve, reject });
      this.queuedBytes += bytes;
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.inFlight) return; // the in-flight request's completion dispatches the queue
    if (this.queue.length >= this.maxBatchRecords || this.queuedBytes >= this.maxBatchBytes) {
      this.dispatch();
    } else if (!this.timer) {
      this.timer = setTimeout(() => this.dispatch(), this.lingerMs);
    }
  }

  private dispatch(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.inFlight || this.queue.length === 0) return;
    const batch = this.take();
    this.inFlightSince = performance.now();
    this.inFlight = this.sendBatch(batch).finally(() => {
      this.inFlight = undefined;
      this.inFlightSince = undefined;
      // Whatever gathered meanwhile already waited at least one round trip: send it now.
      if (this.queue.length > 0) this.dispatch();
    });
  }

  private take(): Pending[] {
    let count = 0;
    let bytes = 0;
    while (
      count < this.queue.length &&
      count < this.maxBatchRecords &&
      (count === 0 || bytes + (this.queue[count]?.bytes ?? 0) <= this.maxBatchBytes)
    ) {
      bytes += this.queue[count]?.bytes ?? 0;
      count += 1;
    }
    const batch = this.queue.length === count ? this.queue : this.queue.slice(0, count);
    this.queue = this.queue.length === count ? [] : this.queue.slice(count);
    this.queuedBytes -= bytes;
    return batch;
  }

  private async sendBatch(batch: Pending[]): Promise<void> {
    const byTopic = new Map<string, Message[]>();
    let bytes = 0;
    for (const pending of batch) {
      bytes += pending.bytes;
      const messages = byTopic.get(pending.topic);
      if (messages) messages.push(pending.message);
      else byTopic.set(pending.topic, [pending.message]);
    }
    const topicMessages: TopicMessages[] = [];
    for (const [topic, messages] of byTopic) topicMessages.push({ topic, messages });
    try {
      if (this.renewNeeded) await this.renew();
      await this.producer.sendBatch({ acks: -1, topicMessages });
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      this.renewNeeded = true;
      for (const pending of batch) pending.reject(failure);
      return;
    }
    for (const pending of batch) pending.resolve();
    this.onBatch?.(batch.length, bytes);
  }

  /** Replaces the kafkajs producer after a failed request; throws (the batch fails) if the new one cannot connect. */
  private async renew(): Promise<void> {
    const old = this.producer;
    this.producer = createDurableProducer(this.kafka, this.producerConfig);
    this.producers += 1;
    // Nothing is in flight on the old one (one request at a time): its disconnect only closes sockets.
    await old.disconnect().catch(() => undefined);
    await this.producer.connect();
    this.renewNeeded = false;
  }
}
