/**
 * A token bucket: holds up to `burst` tokens, refills at `rps` per second.
 * Time comes from the caller (milliseconds), so it is a pure state machine.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    readonly rps: number,
    readonly burst: number,
    nowMs: number,
  ) {
    this.tokens = burst;
    this.updatedAt = nowMs;
  }

  /** Takes one token; returns 0 if granted, else the seconds until one is available (≥ 1). */
  take(nowMs: number): number {
    if (nowMs > this.updatedAt) {
      this.tokens = Math.min(
        this.burst,
        this.tokens + ((nowMs - this.updatedAt) * this.rps) / 1000,
      );
      this.updatedAt = nowMs;
    }
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - this.tokens) / this.rps));
  }
}
