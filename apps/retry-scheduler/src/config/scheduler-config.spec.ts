import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EnvironmentError, validateEnvironment } from '@crm/service-kit';
import { SchedulerEnvironment, schedulerConfig } from './scheduler-config.js';

const environment = (env: NodeJS.ProcessEnv) =>
  validateEnvironment('retry-scheduler', SchedulerEnvironment, env);
const schedulerConfigFromEnv = (env: NodeJS.ProcessEnv) => schedulerConfig(environment(env));

describe('SchedulerEnvironment', () => {
  it('defaults to the contract topics and the seed documents breaker (100 in 5 min, 5 min pause)', () => {
    const config = schedulerConfigFromEnv({});
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
    assert.equal(config.requeueMinDelayMs, 1_000);
    assert.equal(config.maxDueAheadMs, 86_400_000);
    assert.equal(config.fetchMaxWaitMs, 100);
    assert.equal(environment({}).PORT, 9101);
  });

  it('takes overrides', () => {
    const env = {
      RETRY_TOPICS: 'a.r1, a.r2',
      DLQ_TOPIC: 'a.dlq',
      SCHEDULER_GROUP_ID: 'g',
      BREAKER_THRESHOLD: '5',
      BREAKER_ENABLED: 'false',
      BREAKER_WINDOW_MS: '10000',
      BREAKER_OPEN_MS: '3000',
      REQUEUE_MIN_DELAY_MS: '500',
      MAX_DUE_AHEAD_MS: '60000',
      FETCH_MAX_WAIT_MS: '50',
      PORT: '0',
    };
    const config = schedulerConfigFromEnv(env);
    assert.deepEqual(config.retryTopics, ['a.r1', 'a.r2']);
    assert.equal(config.dlqTopic, 'a.dlq');
    assert.equal(config.groupId, 'g');
    assert.deepEqual(config.breaker, {
      enabled: false,
      threshold: 5,
      windowMs: 10_000,
      openMs: 3_000,
    });
    assert.equal(config.requeueMinDelayMs, 500);
    assert.equal(config.maxDueAheadMs, 60_000);
    assert.equal(config.fetchMaxWaitMs, 50);
    assert.equal(environment(env).PORT, 0);
  });

  it('keeps the default for a blank variable', () => {
    assert.equal(
      schedulerConfigFromEnv({ SCHEDULER_GROUP_ID: ' ' }).groupId,
      'crm-retry-scheduler',
    );
  });

  const bad: [string, NodeJS.ProcessEnv, RegExp][] = [
    ['threshold not a number', { BREAKER_THRESHOLD: 'many' }, /^BREAKER_THRESHOLD must be a whole/],
    ['threshold zero', { BREAKER_THRESHOLD: '0' }, /^BREAKER_THRESHOLD must be at least 1$/],
    ['threshold huge', { BREAKER_THRESHOLD: '100001' }, /^BREAKER_THRESHOLD must be at most/],
    ['window fractional', { BREAKER_WINDOW_MS: '1.5' }, /^BREAKER_WINDOW_MS must be a whole/],
    [
      'window beyond a day',
      { BREAKER_WINDOW_MS: '86400001' },
      /^BREAKER_WINDOW_MS must be at most/,
    ],
    ['open time zero', { BREAKER_OPEN_MS: '0' }, /^BREAKER_OPEN_MS must be at least 1$/],
    [
      'requeue delay too short',
      { REQUEUE_MIN_DELAY_MS: '99' },
      /^REQUEUE_MIN_DELAY_MS must be at least 100$/,
    ],
    ['due horizon negative', { MAX_DUE_AHEAD_MS: '-1' }, /^MAX_DUE_AHEAD_MS must be at least 1$/],
    ['fetch wait too short', { FETCH_MAX_WAIT_MS: '9' }, /^FETCH_MAX_WAIT_MS must be at least 10$/],
    ['fetch wait too long', { FETCH_MAX_WAIT_MS: '10001' }, /^FETCH_MAX_WAIT_MS must be at most/],
    ['flag not boolean', { BREAKER_ENABLED: 'maybe' }, /^BREAKER_ENABLED must be true or false/],
    ['topic with spaces', { RETRY_TOPICS: 'a b' }, /^RETRY_TOPICS must be a comma-separated/],
    ['empty tier', { RETRY_TOPICS: 'a,,b' }, /^RETRY_TOPICS must be a comma-separated/],
    ['a tier twice', { RETRY_TOPICS: 'a, b, a' }, /^RETRY_TOPICS must not name a topic twice$/],
    ['two DLQ topics', { DLQ_TOPIC: 'a,b' }, /^DLQ_TOPIC must be a Kafka topic name/],
    ['the DLQ as a tier', { RETRY_TOPICS: 'a,b', DLQ_TOPIC: 'b' }, /^DLQ_TOPIC must not be one of/],
    ['port out of range', { PORT: '65536' }, /^PORT must be at most 65535$/],
    ['bad brokers', { KAFKA_BROKERS: 'nohost' }, /^KAFKA_BROKERS /],
  ];
  for (const [name, env, message] of bad) {
    it(`refuses ${name}`, () => {
      assert.throws(
        () => schedulerConfigFromEnv(env),
        (error: unknown) => {
          assert.ok(error instanceof EnvironmentError);
          const variable = Object.keys(env).at(-1);
          assert.ok(
            error.problems.every((problem) => problem.startsWith(`${variable} `)),
            `only ${variable} is named: ${error.message}`,
          );
          assert.ok(
            error.problems.some((problem) => message.test(problem)),
            `${message} in ${error.message}`,
          );
          return true;
        },
      );
    });
  }

  it('reports every problem at once', () => {
    assert.throws(
      () =>
        environment({
          PORT: '70000',
          LOG_LEVEL: 'loud',
          RETRY_TOPICS: 'a,,b',
          DLQ_TOPIC: 'x,y',
          BREAKER_ENABLED: 'perhaps',
          BREAKER_THRESHOLD: '0',
          BREAKER_WINDOW_MS: 'soon',
          BREAKER_OPEN_MS: '-5',
          REQUEUE_MIN_DELAY_MS: '1',
          MAX_DUE_AHEAD_MS: '0',
          FETCH_MAX_WAIT_MS: '60000',
        }),
      (error: unknown) => {
        assert.ok(error instanceof EnvironmentError);
        assert.deepEqual(
          [...new Set(error.problems.map((problem) => problem.split(' ')[0]))],
          [
            'BREAKER_ENABLED',
            'BREAKER_OPEN_MS',
            'BREAKER_THRESHOLD',
            'BREAKER_WINDOW_MS',
            'DLQ_TOPIC',
            'FETCH_MAX_WAIT_MS',
            'LOG_LEVEL',
            'MAX_DUE_AHEAD_MS',
            'PORT',
            'REQUEUE_MIN_DELAY_MS',
            'RETRY_TOPICS',
          ],
        );
        return true;
      },
    );
  });

  it('accepts the usual words for switches', () => {
    for (const [word, enabled] of [
      ['1', true],
      ['0', false],
      ['on', true],
      ['off', false],
      ['TRUE', true],
    ] as const)
      assert.equal(schedulerConfigFromEnv({ BREAKER_ENABLED: word }).breaker.enabled, enabled);
  });
});
