import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export type RecordOutcome = 'handled' | 'retried' | 'dead_lettered' | 'skipped';

/** The runtime's metrics; every consuming service exposes them on /metrics. */
export class ConsumerMetrics {
  readonly records: Counter<'group' | 'topic' | 'outcome'>;
  readonly published: Counter<'group' | 'topic'>;
  readonly batchSeconds: Histogram<'group' | 'topic'>;
  readonly lag: Gauge<'group' | 'topic' | 'partition'>;
  readonly publishFailures: Counter<'group'>;
  readonly deadLetters: Counter<'group' | 'connection' | 'reason'>;
  readonly deadLetterBytes: Counter<'group' | 'connection' | 'reason'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.records = new Counter({
      name: 'crm_consumer_records_total',
      help: 'Input records by outcome: handled, retried (sent to a retry tier), dead_lettered, skipped (redelivery for another group)',
      labelNames: ['group', 'topic', 'outcome'],
      registers,
    });
    this.published = new Counter({
      name: 'crm_consumer_published_total',
      help: 'Output records acknowledged by the broker, by topic',
      labelNames: ['group', 'topic'],
      registers,
    });
    this.batchSeconds = new Histogram({
      name: 'crm_consumer_batch_duration_seconds',
      help: 'Time to handle a slice of a batch and publish its outputs',
      labelNames: ['group', 'topic'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.lag = new Gauge({
      name: 'crm_consumer_lag',
      help: 'Records between the last handled offset and the partition high watermark',
      labelNames: ['group', 'topic', 'partition'],
      registers,
    });
    this.publishFailures = new Counter({
      name: 'crm_consumer_publish_failures_total',
      help: 'Batches whose outputs could not be published (redelivered from the last commit)',
      labelNames: ['group'],
      registers,
    });
    // `connection` is a configured connection id or `other` (connectionLabel): a bounded set.
    this.deadLetters = new Counter({
      name: 'crm_consumer_dead_letters_total',
      help: 'Dead letters acknowledged by the broker (handler dead letters and records given up), by connection and dlq-reason',
      labelNames: ['group', 'connection', 'reason'],
      registers,
    });
    this.deadLetterBytes = new Counter({
      name: 'crm_consumer_dead_letter_bytes_total',
      help: 'Bytes of those dead letters: value plus header names and values',
      labelNames: ['group', 'connection', 'reason'],
      registers,
    });
  }
}
