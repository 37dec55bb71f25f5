import type { ResolvedConnection } from '@crm/connections';
import type { Source } from '@crm/contracts';
import { TokenBucket } from './token-bucket.js';

export interface RateLimit {
  readonly rps: number;
  readonly burst: number;
}

/**
 * One token bucket per connection, from its `rateLimit` or its source's default.
 * Buckets are created lazily and kept across config reloads while the limit
 * is unchanged, so a reload neither resets nor refills anyone's budget.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly defaults: Readonly<Record<Source, RateLimit>>,
    private readonly now: () => number = Date.now,
  ) {}

  /** 0 if the request may pass, else the Retry-After seconds. */
  take(connection: ResolvedConnection): number {
    let bucket = this.buckets.get(connection.id);
    if (!bucket) {
      const limit = this.limitOf(connection);
      bucket = new TokenBucket(limit.rps, limit.burst, this.now());
      this.buckets.set(connection.id, bucket);
    }
    return bucket.take(this.now());
  }

  /** Drops buckets of removed connections and of connections whose limit changed. */
  reconcile(connections: readonly ResolvedConnection[]): void {
    const current = new Map(connections.map((c) => [c.id, this.limitOf(c)]));
    for (const [id, bucket] of this.buckets) {
      const limit = current.get(id);
      if (!limit || limit.rps !== bucket.rps || limit.burst !== bucket.burst)
        this.buckets.delete(id);
    }
  }

  private limitOf(connection: ResolvedConnection): RateLimit {
    return connection.rateLimit ?? this.defaults[connection.source];
  }
}
