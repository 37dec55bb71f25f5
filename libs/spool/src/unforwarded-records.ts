const INITIAL_CAPACITY = 1024;

/**
 * Frame size and append time of every durable, unforwarded record, oldest
 * first: 12 bytes a record in two growable ring buffers. Commit walks it to
 * count exactly which records a cursor move forwards (batches handed out
 * after a rewind may overlap ones committed since), and its head is the
 * oldest record's age.
 */
export class UnforwardedRecords {
  private frameBytes = new Uint32Array(INITIAL_CAPACITY);
  private appendedAtMs = new Float64Array(INITIAL_CAPACITY);
  private head = 0;
  private count = 0;
  private totalBytes = 0;

  get records(): number {
    return this.count;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  get oldestAppendedAtMs(): number | undefined {
    return this.count === 0 ? undefined : this.appendedAtMs[this.head];
  }

  /** Frame size of the record `index` places after the oldest. */
  frameBytesAt(index: number): number | undefined {
    if (index < 0 || index >= this.count) return undefined;
    return this.frameBytes[(this.head + index) % this.frameBytes.length];
  }

  push(frameBytes: number, appendedAtMs: number): void {
    if (this.count === this.frameBytes.length) this.grow();
    const at = (this.head + this.count) % this.frameBytes.length;
    this.frameBytes[at] = frameBytes;
    this.appendedAtMs[at] = appendedAtMs;
    this.count += 1;
    this.totalBytes += frameBytes;
  }

  /** Drops the `count` oldest records. */
  drop(count: number): void {
    if (count > this.count)
      throw new RangeError(`spool: cannot drop ${count} of ${this.count} records`);
    for (let i = 0; i < count; i += 1) this.totalBytes -= this.frameBytesAt(i) ?? 0;
    this.head = (this.head + count) % this.frameBytes.length;
    this.count -= count;
  }

  private grow(): void {
    const capacity = this.frameBytes.length * 2;
    const frameBytes = new Uint32Array(capacity);
    const appendedAtMs = new Float64Array(capacity);
    for (let i = 0; i < this.count; i += 1) {
      const from = (this.head + i) % this.frameBytes.length;
      frameBytes[i] = this.frameBytes[from] ?? 0;
      appendedAtMs[i] = this.appendedAtMs[from] ?? 0;
    }
    this.frameBytes = frameBytes;
    this.appendedAtMs = appendedAtMs;
    this.head = 0;
  }
}
