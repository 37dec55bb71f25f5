import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { CircuitBreaker } from '../breaker/circuit-breaker.js';
import { parseOriginKey } from '../breaker/failure-origin.js';
import type { TierBacklog } from './tier-backlog.js';

/** The scheduler's metrics on /metrics; gauges are computed when scraped. */
export class SchedulerMetrics {
  readonly released: Counter<'tier' | 'group'>;
  readonly requeued: Counter<'tier' | 'group'>;
  readonly malformed: Counter<'tier'>;
  readonly exhausted: Counter<'group' | 'topic'>;
  readonly failures: Counter<'group' | 'topic'>;
  readonly breakerOpened: Counter<'group' | 'topic'>;
  readonly lateness: Histogram<'tier'>;

  constructor(
    registry: Registry,
    tiers: readonly string[],
    backlog: TierBacklog,
    breaker: CircuitBreaker,
  ) {
    const registers = [registry];
    this.released = new Counter({
      name: 'crm_retry_released_total',
      help: 'Records re-delivered to their origin topic (acknowledged), by tier and origin group',
      labelNames: ['tier', 'group'],
      registers,
    });
    this.requeued = new Counter({
      name: 'crm_retry_breaker_requeued_total',
      help: 'Due records put back at the tail of their tier because their origin breaker was open',
      labelNames: ['tier', 'group'],
      registers,
    });
    this.malformed = new Counter({
      name: 'crm_retry_malformed_total',
      help: 'Tier records without origin headers, dead-lettered as malformed',
      labelNames: ['tier'],
      registers,
    });
    this.exhausted = new Counter({
      name: 'crm_retry_exhausted_total',
      help: 'Records dead-lettered with reason retries_exhausted (seen on the DLQ since start)',
      labelNames: ['group', 'topic'],
      registers,
    });
    this.failures = new Counter({
      name: 'crm_retry_failures_observed_total',
      help: 'Failures counted by the circuit breaker (new records in the retry tiers), by origin',
      labelNames: ['group', 'topic'],
      registers,
    });
    this.breakerOpened = new Counter({
      name: 'crm_retry_breaker_opened_total',
      help: 'Times an origin breaker opened',
      labelNames: ['group', 'topic'],
      registers,
    });
    this.lateness = new Histogram({
      name: 'crm_retry_release_lateness_seconds',
      help: 'Acknowledged re-delivery time minus due time',
      labelNames: ['tier'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    new Gauge({
      name: 'crm_retry_waiting_records',
      help: 'Records in the tier not yet re-delivered',
      labelNames: ['tier'],
      registers,
      collect() {
        for (const tier of tiers) this.set({ tier }, backlog.waiting(tier));
      },
    });
    new Gauge({
      name: 'crm_retry_oldest_due_timestamp_seconds',
      help: 'Due time of the earliest held head record of the tier (absent when nothing is held)',
      labelNames: ['tier'],
      registers,
      collect() {
        this.reset();
        for (const tier of tiers) {
          const due = backlog.oldestDue(tier);
          if (due !== undefined) this.set({ tier }, due / 1000);
        }
      },
    });
    new Gauge({
      name: 'crm_retry_breaker_open',
      help: '1 while the origin breaker is open (its due retries wait), else 0',
      labelNames: ['group', 'topic'],
      registers,
      collect() {
        const open = new Set(breaker.openOrigins(Date.now()));
        for (const key of breaker.knownOrigins())
          this.set({ ...parseOriginKey(key) }, open.has(key) ? 1 : 0);
      },
    });
  }
}
