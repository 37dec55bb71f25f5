import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ResolvedConnection } from '@crm/connections';
import { SENDER_POLICY, type Source } from '@crm/contracts';
import { RateLimiter } from './rate-limiter.js';
import { TokenBucket } from './token-bucket.js';

const connection = (
  id: string,
  rateLimit?: { rps: number; burst: number },
  source: Source = 'pipeliner',
): ResolvedConnection => ({
  id,
  source,
  secrets: ['s'],
  ...(rateLimit ? { rateLimit } : {}),
});

describe('TokenBucket', () => {
  it('grants the burst at once, then refills at rps', () => {
    const bucket = new TokenBucket(2, 3, 0);
    assert.deepEqual([bucket.take(0), bucket.take(0), bucket.take(0)], [0, 0, 0]);
    assert.equal(bucket.take(0), 1);
    assert.equal(bucket.take(499), 1);
    assert.equal(bucket.take(500), 0);
    assert.equal(bucket.take(10_000), 0, 'refilled, capped at burst');
    assert.equal(bucket.take(10_000), 0);
    assert.equal(bucket.take(10_000), 0);
    assert.equal(bucket.take(10_000), 1);
  });

  it('asks slow buckets to wait several seconds', () => {
    const bucket = new TokenBucket(0.1, 1, 0);
    assert.equal(bucket.take(0), 0);
    assert.equal(bucket.take(0), 10);
  });
});

describe('RateLimiter', () => {
  it('keeps one bucket per connection, with its own or the default limit', () => {
    let now = 0;
    const limiter = new RateLimiter(everySource({ rps: 1, burst: 1 }), () => now);
    const own = connection('own', { rps: 10, burst: 2 });
    const other = connection('other');
    assert.deepEqual([limiter.take(own), limiter.take(own), limiter.take(own)], [0, 0, 1]);
    assert.deepEqual([limiter.take(other), limiter.take(other)], [0, 1]);
    now = 100;
    assert.equal(limiter.take(own), 0);
  });

  it('keeps budgets across a reload unless the limit changed', () => {
    const limiter = new RateLimiter(everySource({ rps: 1, burst: 1 }), () => 0);
    const a = connection('a', { rps: 1, burst: 1 });
    const b = connection('b', { rps: 1, burst: 1 });
    limiter.take(a);
    limiter.take(b);
    const bChanged = connection('b', { rps: 1, burst: 5 });
    limiter.reconcile([a, bChanged]);
    assert.equal(limiter.take(a), 1, 'a is still spent');
    assert.equal(limiter.take(bChanged), 0, 'b got a new bucket');
  });

  it("falls back to the connection's source's default", () => {
    const limiter = new RateLimiter(
      { ...everySource({ rps: 1, burst: 1 }), 'kommo-chat': { rps: 1, burst: 3 } },
      () => 0,
    );
    const chat = connection('chat', undefined, 'kommo-chat');
    const pipeliner = connection('p');
    assert.deepEqual(
      [0, 0, 0, 1],
      [1, 2, 3, 4].map(() => limiter.take(chat)),
    );
    assert.deepEqual(
      [0, 1],
      [1, 2].map(() => limiter.take(pipeliner)),
    );
  });

  it('lets 2,000 webhooks at once through to one connection with the default ceilings', () => {
    const limiter = new RateLimiter(
      {
        kommo: SENDER_POLICY.kommo.rateCeiling,
        amocrm: SENDER_POLICY.amocrm.rateCeiling,
        'kommo-chat': SENDER_POLICY['kommo-chat'].rateCeiling,
        pipeliner: SENDER_POLICY.pipeliner.rateCeiling,
      },
      () => 0,
    );
    const chat = connection('chat', undefined, 'kommo-chat');
    const refused = Array.from({ length: 2_000 }, () => limiter.take(chat)).filter(
      (wait) => wait > 0,
    );
    assert.equal(refused.length, 0);
  });
});

function everySource(limit: { rps: number; burst: number }): Record<Source, typeof limit> {
  return { kommo: limit, amocrm: limit, 'kommo-chat': limit, pipeliner: limit };
}
