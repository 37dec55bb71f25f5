import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TOPICS, verifiedTopic } from '@crm/contracts';
import { EnvironmentError, validateEnvironment } from '@crm/service-kit';
import { VerifierEnvironment, verifierConfig } from './verifier-config.js';

const environment = (env: NodeJS.ProcessEnv) =>
  validateEnvironment('verifier', VerifierEnvironment, env);
const verifierConfigFromEnv = (env: NodeJS.ProcessEnv) => verifierConfig(environment(env));

describe('VerifierEnvironment', () => {
  it('defaults to the contract topics, freshness off, exact bytes only', () => {
    const config = verifierConfigFromEnv({ CONNECTIONS_FILE: 'c.yaml' });
    assert.equal(config.topics.raw, TOPICS.raw);
    assert.equal(config.topics.rejected, TOPICS.rejected);
    assert.equal(config.topics.verified('pipeliner'), verifiedTopic('pipeliner'));
    assert.equal(config.topics.retry, undefined);
    assert.equal(config.groupId, 'crm-verifier');
    assert.equal(environment({ CONNECTIONS_FILE: 'c.yaml' }).PORT, 9101);
    assert.equal(config.chatToleranceSeconds, 0);
    assert.equal(config.chatTrailingNewlineFallback, false);
  });

  it('takes topic overrides and options', () => {
    const config = verifierConfigFromEnv({
      CONNECTIONS_FILE: 'c.yaml',
      PORT: '0',
      VERIFIER_GROUP_ID: 'g',
      VERIFIER_CHAT_TOLERANCE_SECONDS: '300',
      VERIFIER_CHAT_TRAILING_NEWLINE_FALLBACK: 'true',
      VERIFIER_RAW_TOPIC: 'raw-x',
      VERIFIER_VERIFIED_TOPIC_TEMPLATE: 'v.{source}.x',
      VERIFIER_REJECTED_TOPIC: 'rej-x',
      VERIFIER_RETRY_TOPICS: 'r1, r2',
      VERIFIER_DLQ_TOPIC: 'dlq-x',
    });

    assert.equal(config.groupId, 'g');
    assert.equal(config.chatToleranceSeconds, 300);
    assert.equal(config.chatTrailingNewlineFallback, true);
    assert.equal(config.topics.raw, 'raw-x');
    assert.equal(config.topics.verified('kommo-chat'), 'v.kommo-chat.x');
    assert.equal(config.topics.rejected, 'rej-x');
    assert.deepEqual(config.topics.retry, ['r1', 'r2']);
    assert.equal(config.topics.dlq, 'dlq-x');
  });

  const bad: { name: string; env: NodeJS.ProcessEnv; expect: RegExp }[] = [
    { name: 'no connections file', env: {}, expect: /CONNECTIONS_FILE/ },
    { name: 'port not a number', env: { CONNECTIONS_FILE: 'c', PORT: 'http' }, expect: /PORT/ },
    {
      name: 'negative tolerance',
      env: { CONNECTIONS_FILE: 'c', VERIFIER_CHAT_TOLERANCE_SECONDS: '-5' },
      expect: /TOLERANCE/,
    },
    {
      name: 'fallback not a boolean',
      env: { CONNECTIONS_FILE: 'c', VERIFIER_CHAT_TRAILING_NEWLINE_FALLBACK: 'maybe' },
      expect: /FALLBACK/,
    },
    {
      name: 'template without {source}',
      env: { CONNECTIONS_FILE: 'c', VERIFIER_VERIFIED_TOPIC_TEMPLATE: 'verified' },
      expect: /\{source\}/,
    },
    {
      name: 'empty retry topic',
      env: { CONNECTIONS_FILE: 'c', VERIFIER_RETRY_TOPICS: 'a,,b' },
      expect: /RETRY/,
    },
  ];
  for (const { name, env, expect } of bad) {
    it(`refuses ${name}`, () => {
      assert.throws(
        () => verifierConfigFromEnv(env),
        (error: unknown) => {
          assert.ok(error instanceof EnvironmentError);
          assert.match(error.message, expect);
          return true;
        },
      );
    });
  }

  it('reports every problem at once', () => {
    assert.throws(
      () => environment({ PORT: '70000', VERIFIER_RETRY_TOPICS: 'a,,b', LOG_LEVEL: 'loud' }),
      (error: unknown) => {
        assert.ok(error instanceof EnvironmentError);
        assert.deepEqual(
          error.problems.map((problem) => problem.split(' ')[0]),
          ['CONNECTIONS_FILE', 'LOG_LEVEL', 'PORT', 'VERIFIER_RETRY_TOPICS'],
        );
        return true;
      },
    );
  });

  it('accepts 1/0 as well as true/false for switches', () => {
    const env = { CONNECTIONS_FILE: 'c', VERIFIER_CHAT_TRAILING_NEWLINE_FALLBACK: '1' };
    assert.equal(verifierConfigFromEnv(env).chatTrailingNewlineFallback, true);
  });
});
