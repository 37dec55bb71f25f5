import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { percentile } from './percentile.js';

describe('percentile', () => {
  const cases: [number[], number, number][] = [
    [[5], 99, 5],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50, 5],
    [[10, 9, 8, 7, 6, 5, 4, 3, 2, 1], 90, 9],
    [Array.from({ length: 1000 }, (_, i) => i + 1), 99, 990],
    [[3, 1, 2], 100, 3],
  ];
  for (const [values, p, expected] of cases) {
    it(`p${p} of ${values.length} values`, () =>
      assert.equal(percentile(Float64Array.from(values), p), expected));
  }
  it('is NaN for no values', () => assert.ok(Number.isNaN(percentile(new Float64Array(0), 99))));
});
