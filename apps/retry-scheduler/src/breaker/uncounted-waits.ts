/** First look-again delay for a due record the observer has not counted; grows up to the max. */
export const UNCOUNTED_RECHECK_MIN_MS = 50;
export const UNCOUNTED_RECHECK_MAX_MS = 1_000;
/** A due record uncounted this long means the breaker's observer is stuck. */
export const OBSERVER_STALL_MS = 60_000;
/**
 * A wait not looked at again for this long is over without being settled
 * here: its partition went to another scheduler instance in a rebalance.
 */
export const ABANDONED_WAIT_MS = 10 * UNCOUNTED_RECHECK_MAX_MS;

/**
 * Due tier heads waiting for the breaker's observer to count them, per tier
 * partition. A lagging observer is normal for moments (it reads the tier on
 * its own); while it lags, each partition looks again after 50 ms, then after
 * half the time waited so far (at most 1 s), so a stuck observer does not turn
 * into a re-fetch every 50 ms per partition. A wait longer than
 * OBSERVER_STALL_MS is a stall: the scheduler reports itself not live. A wait
 * nobody looked at for ABANDONED_WAIT_MS (the partition was reassigned) is
 * dropped, so it cannot make a healthy instance report a stall.
 */
export class UncountedWaits {
  private readonly waits = new Map<string, { readonly since: number; seen: number }>();

  /** When to look again at `partition`'s head, which is due but not counted. */
  recheckMs(partition: string, now: number): number {
    const wait = this.waits.get(partition);
    if (wait === undefined) return UNCOUNTED_RECHECK_MIN_MS;
    return Math.min(
      UNCOUNTED_RECHECK_MAX_MS,
      Math.max(UNCOUNTED_RECHECK_MIN_MS, (now - wait.since) / 2),
    );
  }

  /** `partition`'s head was held because it is not counted yet. */
  waiting(partition: string, now: number): void {
    const wait = this.waits.get(partition);
    if (wait === undefined) this.waits.set(partition, { since: now, seen: now });
    else wait.seen = now;
  }

  /** `partition`'s head was decided otherwise: its wait, if any, is over. */
  settled(partition: string): void {
    this.waits.delete(partition);
  }

  /** The longest current wait, if it exceeds OBSERVER_STALL_MS. */
  stalledFor(now: number): number | undefined {
    let longest = 0;
    for (const [partition, wait] of this.waits) {
      if (now - wait.seen > ABANDONED_WAIT_MS) this.waits.delete(partition);
      else longest = Math.max(longest, now - wait.since);
    }
    return longest >= OBSERVER_STALL_MS ? longest : undefined;
  }
}
