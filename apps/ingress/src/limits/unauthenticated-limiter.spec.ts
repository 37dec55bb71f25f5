import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UnauthenticatedLimiter } from './unauthenticated-limiter.js';

const LIMITS = {
  perAddress: { rps: 2, burst: 20 },
  perConnection: { rps: 10, burst: 100 },
  maxAddresses: 1_000,
};

describe('UnauthenticatedLimiter', () => {
  it('grants the per-address burst, then the rate', () => {
    let now = 0;
    const limiter = new UnauthenticatedLimiter(LIMITS, () => now);
    const granted = Array.from({ length: 30 }, () => limiter.take('x', '192.0.2.1'));
    assert.equal(granted.filter(Boolean).length, 20);
    now = 1_000;
    assert.equal(
      Array.from({ length: 5 }, () => limiter.take('x', '192.0.2.1')).filter(Boolean).length,
      2,
    );
  });

  it('keeps addresses and connections apart', () => {
    const limiter = new UnauthenticatedLimiter(LIMITS, () => 0);
    for (let i = 0; i < 20; i += 1) limiter.take('x', '192.0.2.1');
    assert.equal(limiter.take('x', '192.0.2.1'), false);
    assert.equal(limiter.take('x', '192.0.2.2'), true, 'another address');
    assert.equal(limiter.take('y', '192.0.2.1'), true, 'another connection');
  });

  it('caps a connection across rotating addresses at its ceiling', () => {
    const limiter = new UnauthenticatedLimiter(LIMITS, () => 0);
    let granted = 0;
    for (let i = 0; i < 5_000; i += 1)
      if (limiter.take('x', `2001:db8::${i.toString(16)}`)) granted += 1;
    assert.equal(granted, 100);
  });

  it('holds at most maxAddresses buckets, evicting the oldest', () => {
    let now = 0;
    const limiter = new UnauthenticatedLimiter({ ...LIMITS, maxAddresses: 64 }, () => now);
    for (let i = 0; i < 100_000; i += 1) {
      now += 1;
      limiter.take('x', `2001:db8::${i.toString(16)}`);
      assert.ok(limiter.addressBuckets <= 64);
    }
    assert.equal(limiter.addressBuckets, 64);
  });

  it('reconcile drops the ceilings of removed connections', () => {
    const limiter = new UnauthenticatedLimiter(LIMITS, () => 0);
    for (let i = 0; i < 100; i += 1) limiter.take('x', `198.51.100.${i}`);
    assert.equal(limiter.take('x', '203.0.113.1'), false);
    limiter.reconcile([]);
    assert.equal(limiter.take('x', '203.0.113.1'), true);
  });
});
