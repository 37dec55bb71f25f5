import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kafkaConfigFromEnv, parseBrokers } from './kafka-config.js';

describe('parseBrokers', () => {
  it('splits and trims host:port lists', () => {
    assert.deepEqual(parseBrokers(' a:9092, b.example:19092 ,'), ['a:9092', 'b.example:19092']);
  });
  it('rejects empty lists and entries without a port', () => {
    assert.throws(() => parseBrokers(' , '), /at least one/);
    assert.throws(() => parseBrokers('a:9092,b'), /"b" is not host:port/);
  });
});

describe('kafkaConfigFromEnv', () => {
  it('defaults to the local broker and plaintext', () => {
    const config = kafkaConfigFromEnv('svc', {});
    assert.deepEqual(config.brokers, ['127.0.0.1:9092']);
    assert.equal(config.clientId, 'svc');
    assert.equal(config.ssl, undefined);
    assert.equal(config.sasl, undefined);
  });
  it('enables TLS and SASL from the environment', () => {
    const config = kafkaConfigFromEnv('svc', {
      KAFKA_BROKERS: 'k1:9093',
      KAFKA_SSL: 'true',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'u',
      KAFKA_SASL_PASSWORD: 'p',
    });
    assert.equal(config.ssl, true);
    assert.deepEqual(config.sasl, { mechanism: 'scram-sha-512', username: 'u', password: 'p' });
  });
  it('rejects an unknown SASL mechanism', () => {
    assert.throws(
      () => kafkaConfigFromEnv('svc', { KAFKA_SASL_MECHANISM: 'kerberos' }),
      /not one of/,
    );
  });
});
