import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { MAX_TIMER_MS, PartitionTimers } from './partition-timers.js';

describe('PartitionTimers', () => {
  let now = 0;
  beforeEach(() => {
    now = 0;
    mock.timers.enable({ apis: ['setTimeout'] });
  });
  afterEach(() => mock.timers.reset());

  it('keeps one timer per partition: scheduling again replaces the wake-up', () => {
    const timers = new PartitionTimers(() => now);
    const woke: string[] = [];
    timers.schedule('t', 0, 1_000, () => woke.push('first'));
    timers.schedule('t', 0, 500, () => woke.push('second'));
    timers.schedule('t', 1, 700, () => woke.push('other partition'));
    assert.equal(timers.size, 2);
    mock.timers.tick(499);
    assert.deepEqual(woke, []);
    mock.timers.tick(1);
    assert.deepEqual(woke, ['second']);
    mock.timers.tick(500);
    assert.deepEqual(woke, ['second', 'other partition']);
    assert.equal(timers.size, 0);
  });

  it('wakes at once for a past due time and caps far ones', () => {
    const timers = new PartitionTimers(() => now);
    const woke: number[] = [];
    timers.schedule('t', 0, -5, () => woke.push(0));
    timers.schedule('t', 1, Number.MAX_SAFE_INTEGER, () => woke.push(1));
    mock.timers.tick(0);
    assert.deepEqual(woke, [0]);
    mock.timers.tick(MAX_TIMER_MS);
    assert.deepEqual(woke, [0, 1]);
  });

  it('clear() drops every pending wake-up', () => {
    const timers = new PartitionTimers(() => now);
    let woke = false;
    timers.schedule('t', 0, 10, () => (woke = true));
    timers.clear();
    mock.timers.tick(100);
    assert.equal(woke, false);
    assert.equal(timers.has('t', 0), false);
  });
});
