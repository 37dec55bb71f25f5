import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RetrySuppressor } from './retry-suppressor.js';

const HOUR = 3_600_000;

describe('RetrySuppressor', () => {
  it('drops exactly one later identical delivery per unconfirmed one', () => {
    let now = 0;
    const suppressor = new RetrySuppressor(() => now);
    suppressor.unconfirmed('c', 'sha', 'w1', now + HOUR);
    assert.ok(suppressor.expectsRetryOn('c'));
    assert.equal(suppressor.suppress('c', 'sha', 'w1'), undefined, 'never itself');
    now += 60_000;
    assert.deepEqual(suppressor.suppress('c', 'sha', 'r1'), { retryOf: 'w1' });
    assert.equal(suppressor.suppress('c', 'sha', 'w2'), undefined, 'a real repeat after the retry');
  });

  it('recognises the same retry processed again (restart, rebalance, replay)', () => {
    const suppressor = new RetrySuppressor(() => 0);
    suppressor.unconfirmed('c', 'sha', 'w1', HOUR);
    suppressor.unconfirmed('c', 'sha', 'w1', HOUR);
    assert.deepEqual(suppressor.suppress('c', 'sha', 'r1'), { retryOf: 'w1' });
    assert.deepEqual(suppressor.suppress('c', 'sha', 'r1'), { retryOf: 'w1' });
    assert.equal(suppressor.size, 1);
  });

  it('pairs two unconfirmed identical deliveries with two retries', () => {
    const suppressor = new RetrySuppressor(() => 0);
    suppressor.unconfirmed('c', 'sha', 'w1', HOUR);
    suppressor.unconfirmed('c', 'sha', 'w2', HOUR);
    assert.deepEqual(suppressor.suppress('c', 'sha', 'r1'), { retryOf: 'w1' });
    assert.deepEqual(suppressor.suppress('c', 'sha', 'r2'), { retryOf: 'w2' });
    assert.equal(suppressor.suppress('c', 'sha', 'r3'), undefined);
  });

  it('keeps connections and bodies apart', () => {
    const suppressor = new RetrySuppressor(() => 0);
    suppressor.unconfirmed('c', 'sha', 'w1', HOUR);
    assert.equal(suppressor.suppress('other', 'sha', 'r1'), undefined);
    assert.equal(suppressor.suppress('c', 'other-sha', 'r1'), undefined);
    assert.equal(suppressor.expectsRetryOn('other'), false);
  });

  it('lets a retry through after the horizon, and forgets expired entries', () => {
    let now = 0;
    const suppressor = new RetrySuppressor(() => now);
    suppressor.unconfirmed('c', 'sha', 'w1', HOUR);
    now = HOUR;
    assert.equal(suppressor.suppress('c', 'sha', 'r1'), undefined);
    suppressor.evict();
    assert.equal(suppressor.size, 0);
    assert.equal(suppressor.expectsRetryOn('c'), false);
  });

  it('restores a pairing read back on start', () => {
    const suppressor = new RetrySuppressor(() => 0);
    suppressor.unconfirmed('c', 'sha', 'w1', HOUR);
    suppressor.retried('c', 'sha', 'w1', 'r1');
    assert.equal(suppressor.suppress('c', 'sha', 'w9'), undefined, 'already paired');
    assert.deepEqual(suppressor.suppress('c', 'sha', 'r1'), { retryOf: 'w1' });
  });
});
