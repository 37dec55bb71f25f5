import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CircuitBreaker } from './circuit-breaker.js';

const config = { enabled: true, threshold: 3, windowMs: 1_000, openMs: 5_000 };

function feed(breaker: CircuitBreaker, origin: string, times: number[]): boolean[] {
  return times.map((at) => breaker.recordFailure(origin, at));
}

describe('CircuitBreaker', () => {
  const cases: [string, number[], boolean[], number | undefined][] = [
    [
      'exactly threshold within the window stays closed',
      [0, 100, 200],
      [false, false, false],
      undefined,
    ],
    [
      'threshold + 1 within the window opens',
      [0, 100, 200, 300],
      [false, false, false, true],
      5_300,
    ],
    [
      'threshold + 1 spread over more than the window stays closed',
      [0, 400, 800, 1_000],
      [false, false, false, false],
      undefined,
    ],
    [
      'a sliding window opens once the rate is reached',
      [0, 900, 1_500, 1_600, 1_700],
      [false, false, false, false, true],
      6_700,
    ],
  ];
  for (const [name, times, opened, until] of cases) {
    it(name, () => {
      const breaker = new CircuitBreaker(config);
      assert.deepEqual(feed(breaker, 'a', times), opened);
      const last = times[times.length - 1] ?? 0;
      assert.equal(breaker.openUntil('a', last), until);
    });
  }

  it('closes by itself after openMs and does not extend while open', () => {
    const breaker = new CircuitBreaker(config);
    feed(breaker, 'a', [0, 1, 2, 3]);
    assert.equal(breaker.openUntil('a', 4_999), 5_003);
    assert.equal(feed(breaker, 'a', [10, 11, 12, 13]).some(Boolean), false);
    assert.equal(breaker.openUntil('a', 5_003), undefined);
    assert.deepEqual(breaker.openOrigins(5_003), []);
  });

  it('keeps origins apart', () => {
    const breaker = new CircuitBreaker(config);
    feed(breaker, 'a', [0, 1, 2, 3]);
    feed(breaker, 'b', [0, 1]);
    assert.deepEqual(breaker.openOrigins(10), ['a']);
    assert.equal(breaker.openUntil('b', 10), undefined);
  });

  it('never opens when disabled', () => {
    const breaker = new CircuitBreaker({ ...config, enabled: false });
    assert.equal(feed(breaker, 'a', [0, 1, 2, 3, 4, 5]).some(Boolean), false);
  });
});
