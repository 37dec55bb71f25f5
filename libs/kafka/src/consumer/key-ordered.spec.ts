import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runKeyOrdered } from './key-ordered.js';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('runKeyOrdered', () => {
  it('keeps one key sequential and in order, runs different keys concurrently, returns results in input order', async () => {
    const items = ['a1', 'b1', 'a2', 'c1', 'a3', 'b2'];
    const started: string[] = [];
    const running = new Map<string, number>();
    let maxConcurrent = 0;
    let concurrent = 0;
    const results = await runKeyOrdered(
      items,
      (item) => item[0] ?? null,
      8,
      async (item) => {
        const key = item[0] ?? '';
        assert.equal(running.get(key) ?? 0, 0, `two ${key} items ran at once`);
        running.set(key, 1);
        started.push(item);
        maxConcurrent = Math.max(maxConcurrent, ++concurrent);
        await tick();
        await tick();
        concurrent -= 1;
        running.set(key, 0);
        return item.toUpperCase();
      },
    );
    assert.deepEqual(results, ['A1', 'B1', 'A2', 'C1', 'A3', 'B2']);
    assert.deepEqual(
      started.filter((item) => item.startsWith('a')),
      ['a1', 'a2', 'a3'],
    );
    assert.equal(maxConcurrent, 3);
  });

  it('never exceeds the limit and treats null keys as independent', async () => {
    let concurrent = 0;
    let max = 0;
    await runKeyOrdered(
      Array.from({ length: 20 }, (_, i) => i),
      () => null,
      4,
      async () => {
        max = Math.max(max, ++concurrent);
        await tick();
        concurrent -= 1;
      },
    );
    assert.equal(max, 4);
  });

  it('propagates a failure', async () => {
    await assert.rejects(
      runKeyOrdered(
        [1, 2],
        () => 'k',
        2,
        (item) => (item === 2 ? Promise.reject(new Error('bad')) : Promise.resolve(item)),
      ),
      /bad/,
    );
  });
});
