import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadSchedulerConfig } from './scheduler-config.js';

describe('loadSchedulerConfig', () => {
  it('defaults to the contract topics and the seed documents breaker (100 in 5 min, 5 min pause)', () => {
    const config = loadSchedulerConfig({});
    assert.deepEqual(config.retryTopics, [
      'crm.retry.1m.v1',
      'crm.retry.5m.v1',
      'crm.retry.15m.v1',
      'crm.retry.30m.v1',
    ]);
    assert.equal(config.dlqTopic, 'crm.dlq.v1');
    assert.deepEqual(config.breaker, {
      enabled: true,
      threshold: 100,
      windowMs: 300_000,
      openMs: 300_000,
    });
    assert.equal(config.groupId, 'crm-retry-scheduler');
  });

  it('takes overrides', () => {
    const config = loadSchedulerConfig({
      RETRY_TOPICS: 'a.r1, a.r2',
      DLQ_TOPIC: 'a.dlq',
      BREAKER_THRESHOLD: '5',
      BREAKER_ENABLED: 'false',
      PORT: '0',
    });
    assert.deepEqual(config.retryTopics, ['a.r1', 'a.r2']);
    assert.equal(config.dlqTopic, 'a.dlq');
    assert.equal(config.breaker.threshold, 5);
    assert.equal(config.breaker.enabled, false);
    assert.equal(config.opsPort, 0);
  });

  const bad: [string, Record<string, string>, RegExp][] = [
    ['threshold not a number', { BREAKER_THRESHOLD: 'many' }, /BREAKER_THRESHOLD/],
    ['threshold zero', { BREAKER_THRESHOLD: '0' }, /BREAKER_THRESHOLD/],
    ['window fractional', { BREAKER_WINDOW_MS: '1.5' }, /BREAKER_WINDOW_MS/],
    ['flag not boolean', { BREAKER_ENABLED: 'yes' }, /BREAKER_ENABLED/],
    ['topic with spaces', { RETRY_TOPICS: 'a b' }, /RETRY_TOPICS/],
    ['two DLQ topics', { DLQ_TOPIC: 'a,b' }, /DLQ_TOPIC/],
    ['bad brokers', { KAFKA_BROKERS: 'nohost' }, /KAFKA_BROKERS/],
  ];
  for (const [name, env, message] of bad) {
    it(`refuses ${name}`, () => assert.throws(() => loadSchedulerConfig(env), message));
  }
});
