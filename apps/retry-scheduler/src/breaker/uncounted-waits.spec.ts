import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  OBSERVER_STALL_MS,
  UNCOUNTED_RECHECK_MAX_MS,
  UNCOUNTED_RECHECK_MIN_MS,
  UncountedWaits,
} from './uncounted-waits.js';

describe('UncountedWaits', () => {
  it('looks again after 50 ms, then backs off to half the wait so far, at most 1 s', () => {
    const waits = new UncountedWaits();
    assert.equal(waits.recheckMs('0:tier', 0), UNCOUNTED_RECHECK_MIN_MS);
    waits.waiting('0:tier', 1_000);
    assert.equal(waits.recheckMs('0:tier', 1_050), UNCOUNTED_RECHECK_MIN_MS);
    assert.equal(waits.recheckMs('0:tier', 1_400), 200);
    assert.equal(waits.recheckMs('0:tier', 60_000), UNCOUNTED_RECHECK_MAX_MS);
    // Still waiting: the start of the wait is kept, not moved.
    waits.waiting('0:tier', 2_000);
    assert.equal(waits.recheckMs('0:tier', 1_400), 200);
    assert.equal(waits.recheckMs('1:tier', 60_000), UNCOUNTED_RECHECK_MIN_MS, 'other partitions');
  });

  it('reports a stall once a head has waited OBSERVER_STALL_MS, and forgets settled waits', () => {
    const waits = new UncountedWaits();
    waits.waiting('0:tier', 0);
    waits.waiting('1:tier', 5_000);
    assert.equal(waits.stalledFor(OBSERVER_STALL_MS - 1), undefined);
    assert.equal(waits.stalledFor(OBSERVER_STALL_MS), OBSERVER_STALL_MS);
    waits.settled('0:tier');
    assert.equal(waits.stalledFor(OBSERVER_STALL_MS), undefined);
    assert.equal(waits.stalledFor(OBSERVER_STALL_MS + 5_000), OBSERVER_STALL_MS);
    waits.settled('1:tier');
    assert.equal(waits.stalledFor(10 * OBSERVER_STALL_MS), undefined);
    assert.equal(waits.recheckMs('1:tier', 10 * OBSERVER_STALL_MS), UNCOUNTED_RECHECK_MIN_MS);
  });

  it('drops the waits of partitions a rebalance took away', () => {
    const waits = new UncountedWaits();
    waits.waiting('0:tier', 0);
    waits.waiting('1:tier', 0);
    waits.retain(new Set(['1:tier', '2:tier']));
    assert.equal(
      waits.stalledFor(OBSERVER_STALL_MS),
      OBSERVER_STALL_MS,
      'the held one still counts',
    );
    waits.settled('1:tier');
    assert.equal(waits.stalledFor(OBSERVER_STALL_MS), undefined, '0:tier went to another instance');
  });
});
