import type { Sample } from '@crm/observability/metrics';

/** Ingress metrics read per connection (names as the issue defines them). */
export const METRICS = {
  received: 'crm_webhooks_received_total',
  lastReceived: 'crm_webhook_last_received_timestamp_seconds',
  refused: 'ingress_refused_total',
  unauthenticated: 'ingress_unauthenticated_total',
} as const;

export interface Health {
  received: number;
  /** Epoch seconds of the newest webhook over all pods; undefined when none reported one. */
  lastReceived: number | undefined;
  refused: number;
  unauthenticated: number;
}

export type HealthStatus = 'ok' | 'silent' | 'never' | 'failing-auth' | 'refused';

/**
 * Sums counters and takes the newest timestamp over every scrape (one per
 * ingress pod), per connection. A sample whose `source` label differs from
 * the connection's source is not this connection's.
 */
export function healthByConnection(
  scrapes: readonly (readonly Sample[])[],
  sources: ReadonlyMap<string, string>,
): Map<string, Health> {
  const health = new Map<string, Health>();
  for (const sample of scrapes.flat()) {
    const connection = sample.labels['connection'];
    if (connection === undefined || !Number.isFinite(sample.value)) continue;
    const source = sources.get(connection);
    if (
      source === undefined ||
      (sample.labels['source'] !== undefined && sample.labels['source'] !== source)
    )
      continue;
    let entry = health.get(connection);
    if (!entry)
      health.set(
        connection,
        (entry = { received: 0, lastReceived: undefined, refused: 0, unauthenticated: 0 }),
      );
    if (sample.name === METRICS.received) entry.received += sample.value;
    // A 401 is refused with reason `unauthenticated` and also counted by ingress_unauthenticated_total.
    else if (sample.name === METRICS.refused && sample.labels['reason'] !== 'unauthenticated')
      entry.refused += sample.value;
    else if (sample.name === METRICS.unauthenticated) entry.unauthenticated += sample.value;
    else if (sample.name === METRICS.lastReceived && sample.value > 0)
      entry.lastReceived = Math.max(entry.lastReceived ?? 0, sample.value);
  }
  return health;
}

/**
 * never: nothing received (failing-auth / refused instead when such requests came);
 * silent: the last webhook is older than expectEveryMinutes;
 * failing-auth / refused: at least as many such requests as accepted ones;
 * ok otherwise. Counters run since each pod started.
 */
export function healthStatus(
  health: Health | undefined,
  expectEveryMinutes: number | undefined,
  nowMs: number,
): HealthStatus {
  const h = health ?? { received: 0, lastReceived: undefined, refused: 0, unauthenticated: 0 };
  if (h.received === 0 && h.lastReceived === undefined) {
    if (h.unauthenticated > 0) return 'failing-auth';
    return h.refused > 0 ? 'refused' : 'never';
  }
  const ageSeconds = h.lastReceived === undefined ? Infinity : nowMs / 1000 - h.lastReceived;
  if (expectEveryMinutes !== undefined && ageSeconds > expectEveryMinutes * 60) return 'silent';
  if (h.unauthenticated > 0 && h.unauthenticated >= h.received) return 'failing-auth';
  if (h.refused > 0 && h.refused >= h.received) return 'refused';
  return 'ok';
}

/** `45s`, `12m`, `3h`, `2d` (rounded down). */
export function formatAge(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}
