import 'reflect-metadata';
import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { RAW_HEADERS } from '@crm/contracts';
import { BatchingProducer, type Kafka, type Message } from '@crm/kafka';
import { KAFKA_CLIENT, ROOT_LOGGER, type Logger } from '@crm/service-kit';
import { INGRESS_CONFIG, type IngressConfig } from '../config/ingress-config.js';
import { IngressMetrics } from '../ops/ingress-metrics.js';
import { Readiness } from '../ops/readiness.js';
import { DeadlineRace } from './deadline-race.js';
import { unconfirmedMarker } from './delivery-marker.js';

export type StoreOutcome = 'stored' | 'timeout' | 'failed';

const RECONNECT_MS = 1_000;
const STORED = (): StoreOutcome => 'stored';
const FAILED = (): StoreOutcome => 'failed';

/**
 * Owns the batching producer of raw records: connects in the background once
 * the app is bootstrapped (retrying until it works, readiness follows), stores
 * with a deadline, and flushes on shutdown after the HTTP server has stopped
 * (Nest closes the listener between beforeApplicationShutdown and this hook).
 */
@Injectable()
export class RawRecordProducer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly producer: BatchingProducer;
  private readonly logger: Logger;
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly deadline: DeadlineRace<StoreOutcome>;

  constructor(
    @Inject(INGRESS_CONFIG) private readonly config: IngressConfig,
    @Inject(KAFKA_CLIENT) kafka: Kafka,
    @Inject(ROOT_LOGGER) root: Logger,
    @Inject(Readiness) private readonly readiness: Readiness,
    @Inject(IngressMetrics) private readonly metrics: IngressMetrics,
  ) {
    this.logger = root.child({ context: RawRecordProducer.name });
    this.deadline = new DeadlineRace<StoreOutcome>(config.deadlineMs, 'timeout');
    this.producer = new BatchingProducer(kafka, {
      lingerMs: config.lingerMs,
      maxBatchRecords: config.maxBatchRecords,
      maxBatchBytes: config.maxBatchBytes,
      onBatch: (records) => metrics.observeBatch(records),
    });
  }

  /** Connects in the background: the listener opens meanwhile, not ready until this succeeds. */
  onApplicationBootstrap(): void {
    void this.connectLoop();
  }

  /** Retries until connected (readiness turns true) or closed. */
  private async connectLoop(): Promise<void> {
    while (!this.closed) {
      try {
        await this.producer.connect();
        this.readiness.producerConnected = true;
        this.logger.info({ topic: this.config.rawTopic }, 'producer connected');
        return;
      } catch (error) {
        this.logger.warn({ err: describe(error) }, 'producer cannot connect; retrying');
        await new Promise((resolve) => (this.retryTimer = setTimeout(resolve, RECONNECT_MS)));
      }
    }
  }

  /**
   * Hands the record to the producer and waits for acks=all, at most the
   * deadline. A record that misses the deadline (answered 503) but lands later
   * is followed by a delivery marker, so the pipeline drops the sender's retry.
   */
  async store(message: Message): Promise<StoreOutcome> {
    this.metrics.recordStarted();
    try {
      const sent = this.producer.send(this.config.rawTopic, message).then(STORED, FAILED);
      const outcome = await this.deadline.race(sent);
      if (outcome === 'timeout') void sent.then((late) => this.landedLate(message, late));
      return outcome;
    } finally {
      this.metrics.recordSettled();
    }
  }

  private async landedLate(message: Message, outcome: StoreOutcome): Promise<void> {
    if (outcome !== 'stored') return;
    const marker = await this.producer
      .send(this.config.rawTopic, unconfirmedMarker(message))
      .then(STORED, FAILED);
    this.metrics.markerWritten(marker === 'stored');
    if (marker !== 'stored')
      this.logger.warn(
        {
          webhookId: message.headers?.[RAW_HEADERS.webhookId],
          connection: message.key?.toString(),
        },
        'a webhook answered 503 landed, but its marker could not be written: its retry will be an event too',
      );
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.readiness.producerConnected = false;
    await this.producer.disconnect().catch((error: unknown) => {
      this.logger.error({ err: describe(error) }, 'producer disconnect failed');
    });
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
