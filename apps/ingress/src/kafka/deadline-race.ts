interface Waiter<T> {
  readonly deadline: number;
  readonly resolve: (value: T) => void;
  done: boolean;
}

/**
 * `Promise.race(work, timeout)` for many concurrent works with the same
 * delay, on one timer: the deadlines expire in arrival order, so a FIFO and a
 * timer armed for its oldest open entry replace a timer, a timeout promise and
 * a race per request (about a microsecond each on ingress's hot path).
 */
export class DeadlineRace<T> {
  private waiters: Waiter<T>[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly delayMs: number,
    private readonly timedOut: T,
    // Monotonic: a wall clock stepped by NTP (or a resumed VM) must not stretch or cut deadlines.
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** What `work` resolves to, or `timedOut` if that takes longer than the delay. `work` must not reject. */
  race(work: Promise<T>): Promise<T> {
    return new Promise<T>((resolve) => {
      const waiter: Waiter<T> = { deadline: this.now() + this.delayMs, resolve, done: false };
      this.waiters.push(waiter);
      this.arm();
      void work.then((value) => {
        if (waiter.done) return;
        waiter.done = true;
        resolve(value);
      });
    });
  }

  /** Waiters not yet settled. */
  get open(): number {
    let count = 0;
    for (let i = this.head; i < this.waiters.length; i += 1) if (!this.waiters[i]?.done) count += 1;
    return count;
  }

  private arm(): void {
    const oldest = this.waiters[this.head];
    if (this.timer !== undefined || oldest === undefined) return;
    const wait = Math.min(this.delayMs, Math.max(0, oldest.deadline - this.now()));
    this.timer = setTimeout(this.expire, wait);
    this.timer.unref();
  }

  private readonly expire = (): void => {
    this.timer = undefined;
    const now = this.now();
    for (let waiter = this.waiters[this.head]; waiter; waiter = this.waiters[++this.head]) {
      if (waiter.done) continue;
      if (waiter.deadline > now) break;
      waiter.done = true;
      waiter.resolve(this.timedOut);
    }
    if (this.head >= this.waiters.length) {
      this.waiters = [];
      this.head = 0;
      return;
    }
    if (this.head > 1_024) {
      this.waiters = this.waiters.slice(this.head);
      this.head = 0;
    }
    this.arm();
  };
}
