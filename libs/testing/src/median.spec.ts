import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { median } from './median.js';

describe('median', () => {
  it('takes the middle value, or the mean of the two middle values, without reordering its input', () => {
    const values = [3.39, 2.22, 2.94];
    assert.equal(median(values), 2.94);
    assert.deepEqual(values, [3.39, 2.22, 2.94]);
    assert.equal(median([10, 2, 8, 4]), 6);
    assert.equal(median([7]), 7);
    assert.equal(median([]), 0);
  });
});
