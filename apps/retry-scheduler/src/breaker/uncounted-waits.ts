/** First look-again delay for a due record the observer has not counted; grows up to the max. */
export const UNCOUNTED_RECHECK_MIN_MS = 50;
export const UNCOUNTED_RECHECK_MAX_MS = 1_000;
/** A due record uncounted this long means the breaker's observer is stuck. */
export const OBSERVER_STALL_MS = 60_000;

/**
 * Due tier heads waiting for the breaker's observer to count them, per tier
 * partition. A lagging observer is normal for moments (it reads the tier on
 * its own); while it lags, each partition looks again after 50 ms, then after
 * half the time waited so far (at most 1 s), so a stuck observer does not turn
 * into a re-fetch every 50 ms per partition. A wait longer than
 * OBSERVER_STALL_MS is a stall: the scheduler reports itself not live. Waits
 * of partitions a rebalance took away are dropped (`retain`), so they cannot
 * make a healthy instance report a stall. Times are on a monotonic clock.
 */
export class UncountedWaits {
  private readonly since = new Map<string, number>();

  /** When to look again at `partition`'s head, which is due but not counted. */
  recheckMs(partition: string, now: number): number {
    const since = this.since.get(partition);
    if (since === undefined) return UNCOUNTED_RECHECK_MIN_MS;
    return Math.min(
      UNCOUNTED_RECHECK_MAX_MS,
      Math.max(UNCOUNTED_RECHECK_MIN_MS, (now - since) / 2),
    );
  }

  /** `partition`'s head was held because it is not counted yet. */
  waiting(partition: string, now: number): void {
    if (!this.since.has(partition)) this.since.set(partition, now);
  }

  /** `partition`'s head was decided otherwise: its wait, if any, is over. */
  settled(partition: string): void {
    this.since.delete(partition);
  }

  /** After a rebalance: only the partitions this instance still holds can be waiting. */
  retain(held: ReadonlySet<string>): void {
    for (const partition of this.since.keys())
      if (!held.has(partition)) this.since.delete(partition);
  }

  /** The longest current wait, if it exceeds OBSERVER_STALL_MS. */
  stalledFor(now: number): number | undefined {
    let longest = 0;
    for (const since of this.since.values()) longest = Math.max(longest, now - since);
    return longest >= OBSERVER_STALL_MS ? longest : undefined;
  }
}
