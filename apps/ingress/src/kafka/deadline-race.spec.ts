import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DeadlineRace } from './deadline-race.js';

const settledWith = async <T>(promise: Promise<T>): Promise<T | 'pending'> =>
  Promise.race([promise, new Promise<'pending'>((resolve) => setImmediate(resolve, 'pending'))]);

/** The specs below move time with mock timers, which mock Date (not the default monotonic clock). */
const mockedClock = (): number => Date.now();

describe('DeadlineRace', () => {
  it('gives the work result when it comes first, the timeout value when the deadline does', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
    const race = new DeadlineRace<string>(1_500, 'timeout', mockedClock);
    let finishFast!: (value: string) => void;
    const fast = race.race(new Promise((resolve) => (finishFast = resolve)));
    const slow = race.race(new Promise<string>(() => undefined));
    t.mock.timers.tick(10);
    const later = race.race(new Promise<string>(() => undefined));
    finishFast('stored');
    assert.equal(await fast, 'stored');
    t.mock.timers.tick(1_489);
    assert.equal(await settledWith(slow), 'pending');
    t.mock.timers.tick(1);
    assert.equal(await slow, 'timeout');
    // The one that arrived 10 ms later gets its own full 1.5 s.
    assert.equal(await settledWith(later), 'pending');
    assert.equal(race.open, 1);
    t.mock.timers.tick(10);
    assert.equal(await later, 'timeout');
    assert.equal(race.open, 0);
  });

  it('ignores a result that arrives after the deadline', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
    const race = new DeadlineRace<string>(100, 'timeout', mockedClock);
    let finish!: (value: string) => void;
    const raced = race.race(new Promise((resolve) => (finish = resolve)));
    t.mock.timers.tick(100);
    assert.equal(await raced, 'timeout');
    finish('stored');
    assert.equal(await raced, 'timeout');
  });

  it('keeps one timer for thousands of waiters and settles each exactly once', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
    const race = new DeadlineRace<string>(50, 'timeout', mockedClock);
    const finishers: ((value: string) => void)[] = [];
    const results = Array.from({ length: 3_000 }, (_, i) => {
      if (i % 100 === 0) t.mock.timers.tick(1);
      return race.race(new Promise((resolve) => finishers.push(resolve)));
    });
    // Every other one is stored in time; the rest time out in arrival order.
    finishers.forEach((finish, i) => i % 2 === 0 && finish('stored'));
    await Promise.resolve();
    t.mock.timers.tick(80);
    const outcomes = await Promise.all(results);
    assert.deepEqual(
      outcomes
        .map((outcome, i) => [i % 2 === 0, outcome])
        .filter(([even, o]) => (even ? o !== 'stored' : o !== 'timeout')),
      [],
    );
    assert.equal(race.open, 0);
  });

  it('keeps time on the monotonic clock: a wall clock that stands still or jumps back changes nothing', async (t) => {
    t.mock.timers.enable({ apis: ['Date'], now: 1_700_000_000_000 });
    const race = new DeadlineRace<string>(30, 'timeout');
    const first = race.race(new Promise<string>(() => undefined));
    t.mock.timers.setTime(1_600_000_000_000); // NTP steps the wall clock back by ~3 years
    const second = race.race(new Promise<string>(() => undefined));
    const bound = new Promise<string>((resolve) => setTimeout(resolve, 1_000, 'still pending'));
    assert.equal(await Promise.race([first, bound]), 'timeout');
    assert.equal(await Promise.race([second, bound]), 'timeout');
  });
});
