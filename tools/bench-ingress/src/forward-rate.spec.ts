import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forwardRates, type ForwardRates, type ForwardSample } from './forward-rate.js';

const at = (atMs: number, forwarded: number, records: number): ForwardSample => ({
  atMs,
  forwarded,
  records,
});

describe('forwardRates', () => {
  const cases: [string, ForwardSample[], ForwardRates | undefined][] = [
    ['no sample shows an empty spool', [at(1_000, 0, 10), at(1_050, 5, 5)], undefined],
    [
      'from the first sample with forwarded records',
      [at(1_000, 0, 300), at(1_500, 100, 200), at(2_500, 300, 0)],
      { forwarded: 300, fromFirstPerS: 200, fromStartPerS: 120, startToEmptyS: 2.5 },
    ],
    [
      'all forwarded between two samples: from the sample before',
      [at(1_000, 0, 300), at(2_000, 300, 0)],
      { forwarded: 300, fromFirstPerS: 300, fromStartPerS: 150, startToEmptyS: 2 },
    ],
    [
      'the first sample is already empty: from the start',
      [at(2_000, 300, 0)],
      { forwarded: 300, fromFirstPerS: 150, fromStartPerS: 150, startToEmptyS: 2 },
    ],
    [
      'samples after the empty one are ignored',
      [at(1_000, 100, 200), at(2_000, 300, 0), at(3_000, 900, 0)],
      { forwarded: 300, fromFirstPerS: 200, fromStartPerS: 150, startToEmptyS: 2 },
    ],
  ];
  for (const [name, samples, expected] of cases)
    it(name, () => assert.deepEqual(forwardRates(samples, 0), expected));
});
