import type { RateLimit } from './rate-limiter.js';
import { TokenBucket } from './token-bucket.js';

export interface UnauthenticatedLimits {
  /** Per (connection, client address). */
  readonly perAddress: RateLimit;
  /** Per connection, across all addresses: what a botnet can make ingress store at most. */
  readonly perConnection: RateLimit;
  /** How many (connection, address) buckets are kept; the oldest goes first. */
  readonly maxAddresses: number;
}

/**
 * The budget of requests that failed the credential check, apart from the
 * connection's own (which they never touch). A request passes only if both
 * its (connection, address) bucket and the connection's ceiling have a token.
 * Address buckets live in a map capped at `maxAddresses`, evicting the oldest
 * created: an attacker rotating addresses gets a fresh small burst at most,
 * and the connection ceiling still holds.
 */
export class UnauthenticatedLimiter {
  private readonly addresses = new Map<string, TokenBucket>();
  private readonly connections = new Map<string, TokenBucket>();

  constructor(
    private readonly limits: UnauthenticatedLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** true if the request may be stored. */
  take(connectionId: string, address: string): boolean {
    const now = this.now();
    const key = `${connectionId} ${address}`;
    let bucket = this.addresses.get(key);
    if (!bucket) {
      if (this.addresses.size >= this.limits.maxAddresses) {
        const oldest = this.addresses.keys().next();
        if (!oldest.done) this.addresses.delete(oldest.value);
      }
      bucket = new TokenBucket(this.limits.perAddress.rps, this.limits.perAddress.burst, now);
      this.addresses.set(key, bucket);
    }
    if (bucket.take(now) > 0) return false;
    let ceiling = this.connections.get(connectionId);
    if (!ceiling) {
      const { rps, burst } = this.limits.perConnection;
      ceiling = new TokenBucket(rps, burst, now);
      this.connections.set(connectionId, ceiling);
    }
    return ceiling.take(now) === 0;
  }

  /** How many address buckets are held (bounded by maxAddresses). */
  get addressBuckets(): number {
    return this.addresses.size;
  }

  /** Drops the ceilings of connections no longer configured (address buckets age out). */
  reconcile(connectionIds: readonly string[]): void {
    const current = new Set(connectionIds);
    for (const id of this.connections.keys()) if (!current.has(id)) this.connections.delete(id);
  }
}
