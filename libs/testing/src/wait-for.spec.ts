import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { waitFor } from './wait-for.js';

describe('waitFor', () => {
  it('resolves with the first truthy value', async () => {
    let calls = 0;
    const value = await waitFor(() => (++calls >= 3 ? `done after ${calls}` : undefined), {
      intervalMs: 1,
    });
    assert.equal(value, 'done after 3');
  });

  it('times out with the description and the last error', async () => {
    await assert.rejects(
      waitFor(
        () => {
          throw new Error('not yet');
        },
        { timeoutMs: 30, intervalMs: 5, description: 'the thing' },
      ),
      /timed out after 30 ms: the thing \(last error: not yet\)/,
    );
  });
});
