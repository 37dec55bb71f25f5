/**
 * At most one log line per key per interval, with what happened in between:
 * `note` counts an event under a key and returns the counts since the last
 * line when a line is due now (the first event of a key logs at once), else
 * undefined. Keys must come from a bounded set (connection ids); the map is
 * cleared if it ever outgrows `maxKeys` anyway.
 */
export class LogThrottle<C extends string> {
  private readonly entries = new Map<
    string,
    { lastMs: number; counts: Partial<Record<C, number>> }
  >();

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 10_000,
  ) {}

  note(key: string, category: C): Partial<Record<C, number>> | undefined {
    const now = this.now();
    let entry = this.entries.get(key);
    if (!entry) {
      if (this.entries.size >= this.maxKeys) this.entries.clear();
      entry = { lastMs: Number.NEGATIVE_INFINITY, counts: {} };
      this.entries.set(key, entry);
    }
    entry.counts[category] = (entry.counts[category] ?? 0) + 1;
    if (now - entry.lastMs < this.intervalMs) return undefined;
    const counts = entry.counts;
    entry.lastMs = now;
    entry.counts = {};
    return counts;
  }
}
