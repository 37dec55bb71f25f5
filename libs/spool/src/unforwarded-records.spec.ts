import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UnforwardedRecords } from './unforwarded-records.js';

describe('UnforwardedRecords', () => {
  it('keeps sizes and times in order while it wraps around and grows', () => {
    const records = new UnforwardedRecords();
    let oldest = 0;
    let next = 0;
    // Push 3, drop 2, repeatedly: the ring wraps many times and grows past its first capacity.
    for (let round = 0; round < 2000; round += 1) {
      for (let i = 0; i < 3; i += 1, next += 1) records.push(100 + next, next * 10);
      records.drop(2);
      oldest += 2;
      assert.equal(records.oldestAppendedAtMs, oldest * 10);
      assert.equal(records.frameBytesAt(0), 100 + oldest);
      assert.equal(records.frameBytesAt(records.records - 1), 100 + next - 1);
    }
    assert.equal(records.records, next - oldest);
    let bytes = 0;
    for (let seq = oldest; seq < next; seq += 1) bytes += 100 + seq;
    assert.equal(records.bytes, bytes);
    assert.throws(() => records.drop(records.records + 1), RangeError);
    records.drop(records.records);
    assert.equal(records.oldestAppendedAtMs, undefined);
    assert.equal(records.bytes, 0);
  });
});
