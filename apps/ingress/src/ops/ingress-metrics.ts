import 'reflect-metadata';
import { Inject, Injectable } from '@nestjs/common';
import { SOURCES } from '@crm/contracts';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Latency buckets (seconds) around the CRMs' 2 s and 5 s answer budgets. */
const LATENCY_BUCKETS = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 2, 5];
const BATCH_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];
const KNOWN_SOURCES = new Set<string>(SOURCES);

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
