import 'reflect-metadata';
import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { RAW_HEADERS, SOURCES, type Source } from '@crm/contracts';
import { BatchingProducer, type Kafka, type Message } from '@crm/kafka';
import { KAFKA_CLIENT, ROOT_LOGGER, type Logger } from '@crm/service-kit';
import { Spool, SpoolFullError, SpoolLockedError } from '@crm/spool';
import { INGRESS_CONFIG, type IngressConfig, type SpoolConfig } from '../config/ingress-config.js';
import { IngressMetrics } from '../ops/ingress-metrics.js';
import { Readiness } from '../ops/readiness.js';
import { SpoolForwarder, type FirstSend } from '../spool/spool-forwarder.js';
import { toSpoolRecord, webhookIdOf } from '../spool/spool-records.js';
import { DeadlineRace } from './deadline-race.js';
import { unconfirmedMarker } from './delivery-marker.js';

/**
 * Where a webhook was made durable before the reply: acknowledged by Kafka,
 * fsynced to the local spool, or neither (503): the spool was full, or there is
 * none and Kafka did not confirm in time.
 */
export type StoreOutcome = 'kafka' | 'spooled' | 'spool_full' | 'not_durable';

type SendOutcome = 'sent' | 'unsent' | 'timeout';

const RECONNECT_MS = 1_000;
const SENT = (): 'sent' => 'sent';
const UNSENT = (): 'unsent' => 'unsent';
/** A produce request in flight longer than this is waiting out an outage in kafkajs's retries. */
const STALLED_REQUEST_MS = 1_000;
/** Readiness turns false when less than this is left in the spool (and Kafka is not taking records). */
const SPOOL_HEADROOM_BYTES = 1024 * 1024;

/**
 * Makes raw records durable before ingress answers. A record goes to Kafka
 * and waits for acks=all at most its source's deadline. If Kafka misses it,
 * fails, or is not connected, the record is appended to the local spool
 * (fsynced, group commit) instead, and from then on every record is spooled,
 * in arrival order, until the forwarder has drained the spool to Kafka: one
 * log line when spooling starts, one when it ends. Without a usable spool a
 * record Kafka does not confirm is answered 503, and one that lands after
 * all is followed by a delivery marker (its sender will retry it).
 *
 * Lifecycle: the spool opens before the listener (a locked directory stops
 * the start; an unwritable one is reported and ingress runs without a spool);
 * the producer connects in the background; on shutdown, after the listener
 * closed, the spool is drained to Kafka for at most INGRESS_SPOOL_DRAIN_TIMEOUT_MS,
 * then the producer is flushed and the spool closed (what is left is
 * forwarded by the next process on the same directory).
 */
@Injectable()
export class RawRecordStore implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly producer: BatchingProducer;
  private readonly logger: Logger;
  private readonly deadlines: Readonly<Record<Source, DeadlineRace<SendOutcome>>>;
  private spool: Spool | undefined;
  private forwarder: SpoolForwarder | undefined;
  /** Since when every record is spooled (Kafka missed a deadline); undefined: records go to Kafka. */
  private spoolingSince: { readonly ms: number; spooled: number } | undefined;
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(INGRESS_CONFIG) private readonly config: IngressConfig,
    @Inject(KAFKA_CLIENT) kafka: Kafka,
    @Inject(ROOT_LOGGER) root: Logger,
    @Inject(Readiness) private readonly readiness: Readiness,
    @Inject(IngressMetrics) private readonly metrics: IngressMetrics,
  ) {
    this.logger = root.child({ context: RawRecordStore.name });
    const races = new Map<number, DeadlineRace<SendOutcome>>();
    this.deadlines = Object.fromEntries(
      SOURCES.map((source) => {
        const ms = config.deadlineMs[source];
        const race = races.get(ms) ?? new DeadlineRace<SendOutcome>(ms, 'timeout');
        races.set(ms, race);
        return [source, race];
      }),
    ) as Record<Source, DeadlineRace<SendOutcome>>;
    this.producer = new BatchingProducer(kafka, {
      lingerMs: config.lingerMs,
      maxBatchRecords: config.maxBatchRecords,
      maxBatchBytes: config.maxBatchBytes,
      onBatch: (records) => metrics.observeBatch(records),
    });
  }

  async onModuleInit(): Promise<void> {
    if (this.config.spool) await this.openSpool(this.config.spool);
    else
      this.logger.warn(
        'the spool is off: a webhook Kafka does not confirm in time is answered 503',
      );
  }

  /** Connects in the background: the listener opens meanwhile (ready at once with a spool). */
  onApplicationBootstrap(): void {
    this.forwarder?.start();
    void this.connectLoop();
  }

  /** Whether a record can be made durable now: Kafka connected, or room in the spool. */
  canStore(): boolean {
    const spool = this.spool;
    const spoolHasRoom =
      spool !== undefined &&
      spool.bytes + SPOOL_HEADROOM_BYTES <= (this.config.spool?.maxBytes ?? 0);
    return spoolHasRoom || (this.producer.connected && this.spoolingSince === undefined);
  }

  async store(message: Message, source: Source): Promise<StoreOutcome> {
    this.metrics.recordStarted();
    try {
      if (this.spool && !this.producer.connected) this.startSpooling('kafka_not_connected');
      if (this.spool && this.spoolingSince !== undefined)
        return await this.toSpool(message, undefined);
      const sent = this.producer.send(this.config.rawTopic, message).then(SENT, UNSENT);
      const outcome = await this.deadlines[source].race(sent);
      if (outcome === 'sent') return 'kafka';
      if (!this.spool) {
        if (outcome === 'timeout') void sent.then((late) => this.landedLate(message, late));
        return 'not_durable';
      }
      this.startSpooling(outcome === 'timeout' ? 'kafka_deadline_missed' : 'kafka_send_failed');
      return await this.toSpool(message, outcome === 'timeout' ? sent : undefined);
    } finally {
      this.metrics.recordSettled();
    }
  }

  private async toSpool(message: Message, firstSend: FirstSend | undefined): Promise<StoreOutcome> {
    const spool = this.spool;
    const forwarder = this.forwarder;
    if (!spool || !forwarder) return 'not_durable';
    const id = firstSend === undefined ? undefined : webhookIdOf(message);
    if (id !== undefined && firstSend !== undefined) forwarder.noteFirstSend(id, firstSend);
    try {
      await spool.append(toSpoolRecord(message));
      if (this.spoolingSince) this.spoolingSince.spooled += 1;
      forwarder.wake();
      return 'spooled';
    } catch (error) {
      if (id !== undefined && firstSend !== undefined) {
        forwarder.forgetFirstSend(id);
        void firstSend.then((late) => this.landedLate(message, late));
      }
      if (error instanceof SpoolFullError) return 'spool_full';
      this.logger.error(
        { err: describe(error), webhookId: webhookIdOf(message) },
        'cannot write the webhook to the spool: answered 503',
      );
      return 'not_durable';
    }
  }

  private startSpooling(
    reason:
      'kafka_deadline_missed' | 'kafka_send_failed' | 'kafka_not_connected' | 'spool_not_empty',
  ): void {
    if (this.spoolingSince) return;
    this.spoolingSince = { ms: performance.now(), spooled: 0 };
    this.logger.warn(
      { reason, spoolBytes: this.spool?.bytes, spoolRecords: this.spool?.records },
      'spooling started: webhooks are made durable on local disk and forwarded once Kafka takes them',
    );
  }

  /** The forwarder read the spool to its end: records go to Kafka directly again. */
  private stopSpooling(): void {
    const since = this.spoolingSince;
    if (!since) return;
    this.spoolingSince = undefined;
    this.logger.info(
      { spooled: since.spooled, durationMs: Math.round(performance.now() - since.ms) },
      'spooling ended: the spool is forwarded, webhooks go to Kafka directly again',
    );
  }

  private async openSpool(config: SpoolConfig): Promise<void> {
    let spool: Spool;
    try {
      spool = await Spool.open({
        dir: config.dir,
        maxBytes: config.maxBytes,
        onFsync: () => this.metrics.spoolFsynced(),
      });
    } catch (error) {
      // Two processes on one spool would forward and delete each other's records: refuse to start.
      if (error instanceof SpoolLockedError) throw error;
      this.logger.error(
        { err: describe(error), dir: config.dir },
        'the spool directory is not usable: running without a spool, a webhook Kafka does not confirm in time is answered 503',
      );
      return;
    }
    const { recovery } = spool;
    if (recovery.records > 0 || recovery.tornBytes > 0)
      this.logger.warn(
        { dir: config.dir, ...recovery },
        'the spool holds records from before the restart: forwarding them first (a torn last record, never answered 200, was discarded)',
      );
    this.spool = spool;
    this.metrics.observeSpool(() => ({
      bytes: spool.bytes,
      records: spool.records,
      oldestAppendedAtMs: spool.oldestAppendedAtMs,
    }));
    this.forwarder = new SpoolForwarder(spool, {
      send: (messages) => this.sendAll(messages),
      // A request in flight for over a second is in kafkajs's retries (Kafka is away): the
      // forwarder's batch would only queue behind it.
      canSend: () => this.producer.connected && this.producer.inFlightMs < STALLED_REQUEST_MS,
      drained: () => this.stopSpooling(),
      forwarded: (records) => this.metrics.spoolForwardedRecords(records),
      logger: this.logger,
    });
    // Records from before the restart go first: new ones queue behind them until the spool is drained.
    if (!spool.empty) this.startSpooling('spool_not_empty');
    this.readiness.storeAvailable = () => this.canStore();
  }

  /**
   * Settles every send before it resolves or rejects: the spooled records are views into the
   * spool's read buffer, which the next read overwrites, so none may still wait in the producer.
   */
  private async sendAll(messages: readonly Message[]): Promise<void> {
    const results = await Promise.allSettled(
      messages.map((message) => this.producer.send(this.config.rawTopic, message)),
    );
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** Retries until connected (readiness follows) or closed. */
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
   * A record answered 503 (Kafka missed the deadline and the spool could not
   * take it) that lands after all is followed by a delivery marker, so the
   * pipeline drops the sender's retry.
   */
  private async landedLate(message: Message, outcome: 'sent' | 'unsent'): Promise<void> {
    if (outcome !== 'sent') return;
    const marker = await this.producer
      .send(this.config.rawTopic, unconfirmedMarker(message))
      .then(SENT, UNSENT);
    this.metrics.markerWritten(marker === 'sent');
    if (marker !== 'sent')
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
    const { spool, forwarder } = this;
    if (spool && forwarder && this.config.spool) {
      const timeoutMs = this.config.spool.drainTimeoutMs;
      if (!spool.empty)
        this.logger.info({ records: spool.records, timeoutMs }, 'draining the spool to Kafka');
      const drained = await forwarder.drain(timeoutMs);
      await forwarder.stop();
      if (!drained)
        this.logger.warn(
          { records: spool.records, bytes: spool.bytes },
          'the spool was not drained in time: the next ingress on this directory forwards it',
        );
    }
    await this.producer.disconnect().catch((error: unknown) => {
      this.logger.error({ err: describe(error) }, 'producer disconnect failed');
    });
    await spool?.close();
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
