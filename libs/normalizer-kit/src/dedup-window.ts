/**
 * Ids of events already published, with the time they were published, bounded
 * by the longest window and a maximum count. Ids being published right now are
 * "pending": a second copy in the same batch is a duplicate too; they become
 * "seen" only once the broker acknowledged them (commit) and are dropped if
 * the publish was aborted (release), so an abort never hides an event.
 */
export class DedupWindow {
  private readonly seen = new Map<string, number>();
  private readonly pending = new Set<string>();

  constructor(
    private readonly maxWindowMs: number,
    private readonly maxEntries = 2_000_000,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.seen.size;
  }

  /** Seen within `windowMs` (at most the max window), or pending. */
  isDuplicate(id: string, windowMs: number): boolean {
    if (this.pending.has(id)) return true;
    const seenAt = this.seen.get(id);
    return seenAt !== undefined && this.now() - seenAt < Math.min(windowMs, this.maxWindowMs);
  }

  reserve(id: string): void {
    this.pending.add(id);
  }

  commit(ids: readonly string[]): void {
    const at = this.now();
    for (const id of ids) {
      this.pending.delete(id);
      this.seen.delete(id); // re-insert at the end: the map stays in time order
      this.seen.set(id, at);
    }
    this.evict();
  }

  release(ids: readonly string[]): void {
    for (const id of ids) this.pending.delete(id);
  }

  /** Loads an id published earlier (read back from the events topic on start). */
  remember(id: string, publishedAt: number): void {
    if (this.now() - publishedAt >= this.maxWindowMs) return;
    const known = this.seen.get(id);
    if (known === undefined || known < publishedAt) {
      this.seen.delete(id);
      this.seen.set(id, publishedAt);
    }
  }

  /** Drops the oldest entries: those out of the longest window, and any over the count bound. */
  evict(): void {
    const oldest = this.now() - this.maxWindowMs;
    for (const [id, at] of this.seen) {
      if (at > oldest && this.seen.size <= this.maxEntries) break;
      this.seen.delete(id);
    }
  }
}
