import type { BreakerConfig } from '../config/scheduler-config.js';

interface OriginState {
  /** The latest `threshold + 1` failure times, as a ring. */
  readonly times: Float64Array;
  next: number;
  count: number;
  openUntil: number;
}

/**
 * Per-origin circuit breaker after the seed documents' rule: when MORE than
 * `threshold` failures of one origin happen within `windowMs`, its retries
 * wait `openMs` from the failure that crossed the threshold; then they resume
 * by themselves. Failures are given with their own time (the retry record's
 * timestamp), so replaying the recent log after a restart rebuilds the same
 * state. Memory: `threshold + 1` numbers per origin, whatever the volume.
 */
export class CircuitBreaker {
  private readonly origins = new Map<string, OriginState>();

  constructor(private readonly config: BreakerConfig) {}

  /** Counts one failure; true if it opened the breaker. */
  recordFailure(origin: string, at: number): boolean {
    if (!this.config.enabled) return false;
    const state = this.stateOf(origin);
    const size = state.times.length;
    state.times[state.next] = at;
    state.next = (state.next + 1) % size;
    state.count = Math.min(state.count + 1, size);
    if (state.count < size || state.openUntil > at) return false;
    const oldest = state.times[state.next] ?? at;
    if (at - oldest >= this.config.windowMs) return false;
    state.openUntil = at + this.config.openMs;
    return true;
  }

  /** When the origin's retries may go again, if they must wait now. */
  openUntil(origin: string, now: number): number | undefined {
    const until = this.origins.get(origin)?.openUntil ?? 0;
    return until > now ? until : undefined;
  }

  /** Origins whose breaker is open at `now`. */
  openOrigins(now: number): string[] {
    return [...this.origins].filter(([, state]) => state.openUntil > now).map(([key]) => key);
  }

  /** Every origin seen so far (for metrics). */
  knownOrigins(): string[] {
    return [...this.origins.keys()];
  }

  private stateOf(origin: string): OriginState {
    let state = this.origins.get(origin);
    if (!state) {
      state = {
        times: new Float64Array(this.config.threshold + 1),
        next: 0,
        count: 0,
        openUntil: 0,
      };
      this.origins.set(origin, state);
    }
    return state;
  }
}
