/** One delivery answered non-2xx that landed anyway: its sender's retry is expected until `expiresAt`. */
interface Unconfirmed {
  readonly webhookId: string;
  readonly expiresAt: number;
  /** The delivery dropped as its retry; that one delivery, processed again, is dropped again. */
  retriedBy?: string;
}

export interface SuppressedRetry {
  /** The unconfirmed delivery it was a retry of. */
  readonly retryOf: string;
}

/**
 * The sender retries the pipeline still expects, per connection and body
 * digest. Each unconfirmed delivery accounts for exactly one later delivery
 * of the same body on the same connection within the sender's horizon: a
 * second identical delivery after that is a real event (a lead moved
 * A→B→A→B sends identical bodies). Idempotent under redelivery: noting the
 * same unconfirmed delivery twice changes nothing, and the retry it
 * accounted for is recognised again when processed again.
 */
export class RetrySuppressor {
  private readonly expected = new Map<string, Unconfirmed[]>();
  private readonly connections = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  get size(): number {
    let size = 0;
    for (const list of this.expected.values()) size += list.length;
    return size;
  }

  /** Whether any retry is expected on this connection: when not, the body need not be hashed. */
  expectsRetryOn(connectionId: string): boolean {
    return (this.connections.get(connectionId) ?? 0) > 0;
  }

  /** Takes note of a delivery answered non-2xx that landed (a marker). */
  unconfirmed(
    connectionId: string,
    bodySha256: string,
    webhookId: string,
    expiresAt: number,
  ): void {
    const key = keyOf(connectionId, bodySha256);
    const list = this.expected.get(key) ?? [];
    if (list.some((entry) => entry.webhookId === webhookId)) return;
    list.push({ webhookId, expiresAt });
    this.expected.set(key, list);
    this.connections.set(connectionId, (this.connections.get(connectionId) ?? 0) + 1);
  }

  /** Restores the pairing of a retry with its unconfirmed delivery (read back on start). */
  retried(connectionId: string, bodySha256: string, retryOf: string, webhookId: string): void {
    const entry = this.expected
      .get(keyOf(connectionId, bodySha256))
      ?.find((candidate) => candidate.webhookId === retryOf);
    if (entry) entry.retriedBy = webhookId;
  }

  /**
   * Whether the delivery `webhookId` is the retry of an unconfirmed delivery
   * of the same body; if so it is paired with it (the earliest one still open).
   */
  suppress(
    connectionId: string,
    bodySha256: string,
    webhookId: string,
  ): SuppressedRetry | undefined {
    const list = this.expected.get(keyOf(connectionId, bodySha256));
    if (!list) return undefined;
    const now = this.now();
    const again = list.find((entry) => entry.retriedBy === webhookId);
    if (again) return { retryOf: again.webhookId };
    const open = list.find(
      (entry) =>
        entry.retriedBy === undefined && entry.webhookId !== webhookId && entry.expiresAt > now,
    );
    if (!open) return undefined;
    open.retriedBy = webhookId;
    return { retryOf: open.webhookId };
  }

  /** Forgets what is past its horizon. */
  evict(): void {
    const now = this.now();
    for (const [key, list] of this.expected) {
      const kept = list.filter((entry) => entry.expiresAt > now);
      const connectionId = key.slice(0, key.indexOf('\0'));
      const removed = list.length - kept.length;
      if (removed > 0) {
        const left = (this.connections.get(connectionId) ?? 0) - removed;
        if (left > 0) this.connections.set(connectionId, left);
        else this.connections.delete(connectionId);
      }
      if (kept.length === 0) this.expected.delete(key);
      else if (removed > 0) this.expected.set(key, kept);
    }
  }
}

function keyOf(connectionId: string, bodySha256: string): string {
  return `${connectionId}\0${bodySha256}`;
}
