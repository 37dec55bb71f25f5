import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { quantityBytes } from './quantity.js';

describe('quantityBytes (Kubernetes storage quantities)', () => {
  const cases: [string | undefined, number | undefined][] = [
    ['2Gi', 2 * 2 ** 30],
    ['512Mi', 512 * 2 ** 20],
    ['1.5Ti', 1.5 * 2 ** 40],
    ['64Ki', 65_536],
    ['500M', 500e6],
    ['10G', 10e9],
    ['1k', 1000],
    ['1e9', 1e9],
    ['1E3', 1000],
    ['1073741824', 2 ** 30],
    ['100m', undefined],
    ['2GiB', undefined],
    ['2 Gi', undefined],
    ['', undefined],
    [undefined, undefined],
  ];
  for (const [quantity, bytes] of cases) {
    it(`${String(quantity)} -> ${String(bytes)}`, () =>
      assert.equal(quantityBytes(quantity), bytes));
  }
});
