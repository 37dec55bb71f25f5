import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LogThrottle } from './log-throttle.js';

describe('LogThrottle', () => {
  it('one line a minute per key, with the counts since the last line', () => {
    let now = 0;
    const throttle = new LogThrottle<'a' | 'b'>(60_000, () => now);
    assert.deepEqual(throttle.note('x', 'a'), { a: 1 });
    assert.equal(throttle.note('x', 'a'), undefined);
    assert.equal(throttle.note('x', 'b'), undefined);
    assert.deepEqual(throttle.note('y', 'b'), { b: 1 }, 'keys are apart');
    now = 59_999;
    assert.equal(throttle.note('x', 'a'), undefined);
    now = 60_000;
    assert.deepEqual(throttle.note('x', 'a'), { a: 3, b: 1 });
  });
});
