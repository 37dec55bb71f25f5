/**
 * Written by the retry scheduler on records it puts back at the tail of a
 * retry tier while the circuit breaker of their origin is open. Never leaves
 * the retry tiers: the scheduler removes it when it re-delivers the record.
 */
export const SCHEDULER_HEADERS = {
  /** Epoch milliseconds of the latest breaker hold; marks the record as re-queued, not as a new failure. */
  breakerHeldAt: 'retry-breaker-held-at',
} as const;
