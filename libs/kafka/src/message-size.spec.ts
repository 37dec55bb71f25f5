import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chunkByBytes, messageSize } from './message-size.js';

describe('messageSize', () => {
  it('counts key, value, header names and values plus framing', () => {
    assert.equal(
      messageSize({ key: 'ab', value: Buffer.alloc(10), headers: { h: 'xyz' } }),
      64 + 2 + 10 + 1 + 3,
    );
    assert.equal(messageSize({ key: null, value: null }), 64);
  });
});

describe('chunkByBytes', () => {
  const message = (n: number, size: number) => ({ key: `k${n}`, value: Buffer.alloc(size) });

  it('keeps order and never exceeds the budget with more than one message', () => {
    const messages = Array.from({ length: 10 }, (_, n) => message(n, 300));
    const chunks = chunkByBytes(messages, 1_000);
    assert.deepEqual(chunks.flat(), messages);
    for (const chunk of chunks) {
      const total = chunk.reduce((sum, item) => sum + messageSize(item), 0);
      assert.ok(chunk.length === 1 || total <= 1_000, `chunk of ${total} bytes`);
    }
    // 366 bytes each (64 + 2 + 300): two fit in 1,000 bytes.
    assert.equal(chunks.length, 5);
  });

  it('puts an oversized message in a chunk of its own', () => {
    const chunks = chunkByBytes([message(1, 10), message(2, 5_000), message(3, 10)], 1_000);
    assert.deepEqual(
      chunks.map((chunk) => chunk.length),
      [1, 1, 1],
    );
  });

  it('returns no chunks for no messages', () => {
    assert.deepEqual(chunkByBytes([], 100), []);
  });
});
