interface PartitionState {
  next: bigint;
  high: bigint;
  heldUntil: number | undefined;
}

/**
 * What waits in each tier: per partition, the first record not yet
 * re-delivered (from the holding consumer) and the end of the log (from the
 * holding consumer's fetches and from the observer, which sees arrivals
 * while a partition is paused).
 */
export class TierBacklog {
  private readonly partitions = new Map<string, Map<number, PartitionState>>();

  progress(
    topic: string,
    partition: number,
    next: bigint,
    high: bigint,
    heldUntil: number | undefined,
  ): void {
    const state = this.stateOf(topic, partition);
    state.next = next;
    state.high = high > state.high ? high : state.high;
    state.heldUntil = heldUntil;
  }

  arrived(topic: string, partition: number, offset: bigint): void {
    const state = this.stateOf(topic, partition);
    if (offset + 1n > state.high) state.high = offset + 1n;
  }

  waiting(topic: string): number {
    let total = 0n;
    for (const state of this.partitions.get(topic)?.values() ?? [])
      if (state.high > state.next) total += state.high - state.next;
    return Number(total);
  }

  /** The earliest due time among the held heads of the tier's partitions. */
  oldestDue(topic: string): number | undefined {
    let oldest: number | undefined;
    for (const state of this.partitions.get(topic)?.values() ?? []) {
      if (state.heldUntil !== undefined && state.high > state.next)
        oldest = oldest === undefined ? state.heldUntil : Math.min(oldest, state.heldUntil);
    }
    return oldest;
  }

  private stateOf(topic: string, partition: number): PartitionState {
    let byPartition = this.partitions.get(topic);
    if (!byPartition) {
      byPartition = new Map();
      this.partitions.set(topic, byPartition);
    }
    let state = byPartition.get(partition);
    if (!state) {
      state = { next: 0n, high: 0n, heldUntil: undefined };
      byPartition.set(partition, state);
    }
    return state;
  }
}
