import { Counter, type Registry } from 'prom-client';

/** Domain counters of a normalizer, on the service's registry. */
export class NormalizerMetrics {
  readonly emitted: Counter<'type'>;
  /** `connection`: a connection id as connectionLabel (@crm/kafka) bounds it, else `other`. */
  readonly published: Counter<'source' | 'connection' | 'type'>;
  readonly duplicates: Counter<'source'>;
  readonly rejected: Counter<'reason'>;
  readonly fieldsDropped: Counter<'source' | 'entity' | 'field'>;
  readonly retriesSuppressed: Counter<'source'>;

  constructor(registry: Registry) {
    this.emitted = new Counter({
      name: 'crm_normalizer_events_emitted_total',
      help: 'Canonical events handed to the producer, by ce_type',
      labelNames: ['type'],
      registers: [registry],
    });
    this.published = new Counter({
      name: 'crm_events_published_total',
      help: 'Canonical events acknowledged by the broker, by source, connection (other when not a well-formed id) and ce_type',
      labelNames: ['source', 'connection', 'type'],
      registers: [registry],
    });
    this.duplicates = new Counter({
      name: 'crm_normalizer_duplicates_suppressed_total',
      help: 'Events not re-emitted because their ce_id was published within the dedup window (the same delivery processed again)',
      labelNames: ['source'],
      registers: [registry],
    });
    this.rejected = new Counter({
      name: 'crm_normalizer_items_dead_lettered_total',
      help: 'Webhook items sent to the DLQ, by reason',
      labelNames: ['reason'],
      registers: [registry],
    });
    this.retriesSuppressed = new Counter({
      name: 'crm_normalizer_sender_retries_suppressed_total',
      help: "Deliveries dropped as a sender's retry of a delivery answered non-2xx that had landed",
      labelNames: ['source'],
      registers: [registry],
    });
    // `field` is a canonical field name (a fixed set), never a name taken from the body.
    this.fieldsDropped = new Counter({
      name: 'crm_normalizer_fields_dropped_total',
      help: 'Canonical fields left out of emitted events because the value sent could not be read (kept in native)',
      labelNames: ['source', 'entity', 'field'],
      registers: [registry],
    });
  }
}
