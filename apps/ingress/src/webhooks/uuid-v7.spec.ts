import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UuidV7Generator } from './uuid-v7.js';

const SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('UuidV7Generator', () => {
  it('writes version 7, the RFC variant and the millisecond timestamp', () => {
    const ms = Date.UTC(2025, 0, 2, 3, 4, 5, 678);
    const id = new UuidV7Generator(() => ms).next();
    assert.match(id, SHAPE);
    assert.equal(parseInt(id.replace(/-/g, '').slice(0, 12), 16), ms);
  });

  it('is unique and sorts in creation order within one millisecond and across them', () => {
    let ms = 1_700_000_000_000;
    let calls = 0;
    const generator = new UuidV7Generator(() => (++calls % 1_000 === 0 ? ++ms : ms));
    const ids = Array.from({ length: 20_000 }, () => generator.next());
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual([...ids].sort(), ids);
    for (const id of ids) assert.match(id, SHAPE);
  });

  it('stays monotonic when the clock steps back', () => {
    const times = [5_000, 4_000, 4_000];
    const generator = new UuidV7Generator(() => times.shift() ?? 4_000);
    const ids = [generator.next(), generator.next(), generator.next()];
    assert.deepEqual([...ids].sort(), ids);
  });
});
