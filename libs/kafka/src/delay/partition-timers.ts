/** setTimeout's ceiling is 2^31-1 ms; longer holds wake up early and are re-evaluated. */
export const MAX_TIMER_MS = 10 * 60 * 1000;

/**
 * At most one timer per topic-partition: the wake-up of a paused partition.
 * Scheduling again replaces the previous timer, so memory is bounded by the
 * number of assigned partitions, never by the number of waiting records.
 */
export class PartitionTimers {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly now: () => number = Date.now) {}

  get size(): number {
    return this.timers.size;
  }

  schedule(topic: string, partition: number, atMs: number, wake: () => void): void {
    const id = `${partition}:${topic}`;
    const previous = this.timers.get(id);
    if (previous) clearTimeout(previous);
    const delay = Math.min(Math.max(0, atMs - this.now()), MAX_TIMER_MS);
    const timer = setTimeout(() => {
      this.timers.delete(id);
      wake();
    }, delay);
    this.timers.set(id, timer);
  }

  has(topic: string, partition: number): boolean {
    return this.timers.has(`${partition}:${topic}`);
  }

  clear(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
