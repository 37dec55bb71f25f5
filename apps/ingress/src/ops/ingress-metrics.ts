import 'reflect-metadata';
import { Inject, Injectable } from '@nestjs/common';
import { SOURCES } from '@crm/contracts';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Latency buckets (seconds) around the CRMs' 2 s and 5 s answer budgets. */
const LATENCY_BUCKETS = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 2, 5];
const BATCH_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];
const KNOWN_SOURCES = new Set<string>(SOURCES);

/** Why a known connection's webhook was not answered 200 (`ingress_refused_total`). */
export type RefusalReason =
  | 'method_not_allowed'
  | 'unsupported_content_type'
  | 'payload_too_large'
  | 'unauthenticated'
  | 'rate_limited'
  | 'spool_full'
  | 'not_durable';

/** What the spool holds now, read when /metrics is scraped. */
export interface SpoolGauges {
  readonly bytes: number;
  readonly records: number;
  readonly oldestAppendedAtMs: number | undefined;
}

export type ClientErrorReason =
  'aborted' | 'content_length_mismatch' | 'body_too_large' | 'malformed' | 'bad_request';

/**
 * Prometheus metrics of ingress, on the service's registry (served at
 * /metrics with the process metrics). Label values are bounded (a source
 * outside the known set is counted as `other`). prom-client's own label lookup
 * is used as it is: a cache of label children in front of it measured slower
 * (docs/architecture.md, design notes).
 */
@Injectable()
export class IngressMetrics {
  private readonly requests: Counter<'source' | 'status'>;
  private readonly latency: Histogram<'source'>;
  private readonly batchRecords: Histogram;
  private readonly inFlight: Gauge;
  private readonly markers: Counter<'result'>;
  private readonly unauthenticated: Counter<'source' | 'connection' | 'outcome'>;
  private readonly clientErrors: Counter<'reason'>;
  private readonly refused: Counter<'source' | 'connection' | 'reason'>;
  private readonly received: Counter<'source' | 'connection'>;
  private readonly lastReceived: Gauge<'connection'>;
  private readonly expectedInterval: Gauge<'connection'>;
  private readonly stored: Counter<'where'>;
  private readonly spoolFsyncs: Counter;
  private readonly spoolForwarded: Counter;
  private spoolGauges: (() => SpoolGauges) | undefined;

  constructor(@Inject(Registry) registry: Registry) {
    this.requests = new Counter({
      name: 'ingress_requests_total',
      help: 'Webhook requests answered, by source and HTTP status',
      labelNames: ['source', 'status'],
      registers: [registry],
    });
    this.latency = new Histogram({
      name: 'ingress_request_duration_seconds',
      help: 'Time from request start to reply, by source',
      labelNames: ['source'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    });
    this.batchRecords = new Histogram({
      name: 'ingress_produce_batch_records',
      help: 'Records per acknowledged Kafka produce request',
      buckets: BATCH_BUCKETS,
      registers: [registry],
    });
    this.inFlight = new Gauge({
      name: 'ingress_records_in_flight',
      help: 'Records handed to the producer and not yet acknowledged or timed out',
      registers: [registry],
    });
    this.markers = new Counter({
      name: 'ingress_delivery_markers_total',
      help: 'Records answered 503 that landed later, by whether the marker that lets the pipeline drop their retry was written',
      labelNames: ['result'],
      registers: [registry],
    });
    this.unauthenticated = new Counter({
      name: 'ingress_unauthenticated_total',
      help: 'Requests that failed the credential check, by source, connection and whether they were passed on to be stored (within the small unauthenticated budget) or refused with 401',
      labelNames: ['source', 'connection', 'outcome'],
      registers: [registry],
    });
    this.clientErrors = new Counter({
      name: 'ingress_client_errors_total',
      help: 'Requests that ended in a client-side failure before a reply (aborted, body shorter or longer than Content-Length, unreadable, body over the limit), by reason',
      labelNames: ['reason'],
      registers: [registry],
    });
    this.refused = new Counter({
      name: 'ingress_refused_total',
      help: 'Webhooks of configured connections answered other than 200, by source, connection and reason (for senders that never retry, each is a lost webhook)',
      labelNames: ['source', 'connection', 'reason'],
      registers: [registry],
    });
    this.received = new Counter({
      name: 'crm_webhooks_received_total',
      help: 'Webhooks answered 200 (durable in Kafka or in the spool), by source and connection',
      labelNames: ['source', 'connection'],
      registers: [registry],
    });
    this.lastReceived = new Gauge({
      name: 'crm_webhook_last_received_timestamp_seconds',
      help: 'Unix time of the last webhook answered 200, by connection',
      labelNames: ['connection'],
      registers: [registry],
    });
    this.expectedInterval = new Gauge({
      name: 'crm_connection_expected_interval_seconds',
      help: "A connection's expectEveryMinutes from the connections file, in seconds (only connections that set it)",
      labelNames: ['connection'],
      registers: [registry],
    });
    this.stored = new Counter({
      name: 'ingress_stored_total',
      help: 'Webhooks answered 200, by where they were durable at the reply: kafka (acknowledged) or spool (fsynced to the local spool)',
      labelNames: ['where'],
      registers: [registry],
    });
    this.spoolFsyncs = new Counter({
      name: 'ingress_spool_fsyncs_total',
      help: 'Group commits (one write and one fsync for every record appended meanwhile) of the local spool',
      registers: [registry],
    });
    this.spoolForwarded = new Counter({
      name: 'ingress_spool_forwarded_total',
      help: 'Spooled records forwarded to Kafka (acknowledged) or skipped because their first send landed after all',
      registers: [registry],
    });
    const gauges = (): SpoolGauges | undefined => this.spoolGauges?.();
    new Gauge({
      name: 'ingress_spool_bytes',
      help: 'Bytes in the local spool not yet forwarded to Kafka',
      registers: [registry],
      collect() {
        this.set(gauges()?.bytes ?? 0);
      },
    });
    new Gauge({
      name: 'ingress_spool_records',
      help: 'Records in the local spool not yet forwarded to Kafka',
      registers: [registry],
      collect() {
        this.set(gauges()?.records ?? 0);
      },
    });
    new Gauge({
      name: 'ingress_spool_oldest_age_seconds',
      help: 'Age of the oldest record in the local spool not yet forwarded (0 when empty)',
      registers: [registry],
      collect() {
        const oldest = gauges()?.oldestAppendedAtMs;
        this.set(oldest === undefined ? 0 : Math.max(0, (Date.now() - oldest) / 1000));
      },
    });
  }

  /** The spool's current size, read on each scrape. */
  observeSpool(read: () => SpoolGauges): void {
    this.spoolGauges = read;
  }

  spoolFsynced(): void {
    this.spoolFsyncs.inc();
  }

  spoolForwardedRecords(records: number): void {
    this.spoolForwarded.inc(records);
  }

  /** `connection` must be a configured connection id (bounded). */
  refusal(source: string, connection: string, reason: RefusalReason): void {
    this.refused.inc({ source, connection, reason });
  }

  /** A webhook of a configured connection answered 200. */
  receivedWebhook(source: string, connection: string, where: 'kafka' | 'spool'): void {
    this.received.inc({ source, connection });
    this.lastReceived.set({ connection }, Date.now() / 1000);
    this.stored.inc({ where });
  }

  /** Replaces the expected intervals with the connections file's (after each reload). */
  expectIntervals(connections: readonly { id: string; expectEveryMinutes?: number }[]): void {
    this.expectedInterval.reset();
    for (const connection of connections)
      if (connection.expectEveryMinutes !== undefined)
        this.expectedInterval.set(
          { connection: connection.id },
          connection.expectEveryMinutes * 60,
        );
  }

  /** `connection` must be a configured connection id (bounded). */
  unauthenticatedRequest(source: string, connection: string, outcome: 'stored' | 'refused'): void {
    this.unauthenticated.inc({ source, connection, outcome });
  }

  clientError(reason: ClientErrorReason): void {
    this.clientErrors.inc({ reason });
  }

  observeRequest(source: string | undefined, status: number, seconds: number): void {
    const label = source !== undefined && KNOWN_SOURCES.has(source) ? source : 'other';
    this.requests.inc({ source: label, status });
    this.latency.observe({ source: label }, seconds);
  }

  observeBatch(records: number): void {
    this.batchRecords.observe(records);
  }

  recordStarted(): void {
    this.inFlight.inc();
  }

  recordSettled(): void {
    this.inFlight.dec();
  }

  /** A record answered 503 landed later: its delivery marker written (or not). */
  markerWritten(ok: boolean): void {
    this.markers.inc({ result: ok ? 'written' : 'failed' });
  }
}
