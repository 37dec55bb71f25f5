import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IngressConfigError, ingressConfigFromEnv } from './ingress-config.js';

const BASE = { CONNECTIONS_FILE: '/etc/crm/connections.yaml' };

describe('ingressConfigFromEnv', () => {
  it('applies the documented defaults', () => {
    const config = ingressConfigFromEnv(BASE);
    assert.equal(config.port, 8080);
    assert.equal(config.deadlineMs, 1_500);
    assert.equal(config.bodyLimitBytes, 1_048_576);
    assert.equal(config.rawTopic, 'crm.webhooks.raw.v1');
    assert.deepEqual(config.kafka.brokers, ['127.0.0.1:9092']);
    assert.deepEqual(config.trustedProxies, []);
    assert.equal(config.lingerMs, 2);
  });

  it('reads overrides', () => {
    const config = ingressConfigFromEnv({
      ...BASE,
      PORT: '0',
      KAFKA_BROKERS: 'a:9092, b:9093',
      INGRESS_DEADLINE_MS: '800',
      INGRESS_TRUSTED_PROXIES: '10.0.0.0/8, ::1',
      INGRESS_RAW_TOPIC: 'test.raw.x',
      INGRESS_RATE_LIMIT_RPS: '2.5',
    });
    assert.equal(config.port, 0);
    assert.deepEqual(config.kafka.brokers, ['a:9092', 'b:9093']);
    assert.equal(config.deadlineMs, 800);
    assert.deepEqual(config.trustedProxies, ['10.0.0.0/8', '::1']);
    assert.equal(config.rawTopic, 'test.raw.x');
    assert.equal(config.defaultRateLimit.rps, 2.5);
  });

  const bad: { name: string; env: NodeJS.ProcessEnv; expect: RegExp }[] = [
    { name: 'no connections file', env: {}, expect: /CONNECTIONS_FILE is required/ },
    { name: 'a bad port', env: { ...BASE, PORT: 'http' }, expect: /PORT must be an integer/ },
    { name: 'a bad broker', env: { ...BASE, KAFKA_BROKERS: 'nohost' }, expect: /not host:port/ },
    {
      name: 'a tiny deadline',
      env: { ...BASE, INGRESS_DEADLINE_MS: '1' },
      expect: /INGRESS_DEADLINE_MS/,
    },
    {
      name: 'a bad proxy entry',
      env: { ...BASE, INGRESS_TRUSTED_PROXIES: 'example.com' },
      expect: /INGRESS_TRUSTED_PROXIES entry "example.com"/,
    },
    {
      name: 'a bad topic',
      env: { ...BASE, INGRESS_RAW_TOPIC: 'a b' },
      expect: /INGRESS_RAW_TOPIC/,
    },
    {
      name: 'a zero rate',
      env: { ...BASE, INGRESS_RATE_LIMIT_RPS: '0' },
      expect: /RATE_LIMIT_RPS/,
    },
  ];
  for (const { name, env, expect } of bad) {
    it(`refuses ${name}`, () => {
      assert.throws(
        () => ingressConfigFromEnv(env),
        (error) => error instanceof IngressConfigError && expect.test(error.message),
      );
    });
  }
});
