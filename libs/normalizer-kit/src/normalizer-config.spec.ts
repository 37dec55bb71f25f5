import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TOPICS, TOPIC_SPECS } from '@crm/contracts';
import { EnvOptional, EnvTopic, EnvironmentError, validateEnvironment } from '@crm/service-kit';
import {
  EnvDedupWindow,
  MAX_WINDOW_MS,
  NormalizerEnvironment,
  normalizerConfig,
} from './normalizer-config.js';

/** A normalizer of two sources, as an app declares it. */
class TwoSourceEnvironment extends NormalizerEnvironment {
  override PORT = 9199;

  @EnvOptional()
  @EnvDedupWindow()
  DEDUP_WINDOW_MS_KOMMO_CHAT?: number;

  @EnvOptional()
  @EnvDedupWindow()
  DEDUP_WINDOW_MS_PIPELINER?: number;

  @EnvOptional()
  @EnvTopic()
  VERIFIED_TOPIC_KOMMO_CHAT?: string;

  @EnvOptional()
  @EnvTopic()
  VERIFIED_TOPIC_PIPELINER?: string;
}

const SOURCES = ['kommo-chat', 'pipeliner'] as const;
const environment = (env: NodeJS.ProcessEnv) =>
  validateEnvironment('normalizer-test', TwoSourceEnvironment, env);
const config = (env: NodeJS.ProcessEnv) => normalizerConfig(environment(env), 'test', SOURCES);

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    environment(env);
  } catch (error) {
    assert.ok(error instanceof EnvironmentError, String(error));
    return [...error.problems];
  }
  return [];
}

/** The variables named in the problems, once each (a value that is no number breaks every rule). */
const variablesOf = (problems: readonly string[]): string[] => [
  ...new Set(problems.map((problem) => problem.split(' ')[0] ?? '')),
];

describe('NormalizerEnvironment and normalizerConfig', () => {
  it('defaults: contract topics, each source its own window, crm-<app> group', () => {
    const defaults = config({});
    assert.equal(defaults.groupId, 'crm-test');
    assert.equal(defaults.eventsTopic, TOPICS.events);
    assert.equal(defaults.dlqTopic, TOPICS.dlq);
    assert.equal(defaults.retryTopics, undefined);
    assert.deepEqual(defaults.windowMs, { 'kommo-chat': 30 * 60_000, pipeliner: 120 * 60_000 });
    assert.equal(defaults.retriesTopic, TOPICS.retries);
    assert.equal(defaults.maxDedupEntries, 2_000_000);
    assert.equal(defaults.readBackTimeoutMs, 120_000);
    assert.deepEqual(defaults.inputTopics, {});
    assert.equal(environment({}).PORT, 9199);
  });

  it('takes every variable; a source window wins over DEDUP_WINDOW_MS', () => {
    const set = config({
      GROUP_ID: 'g',
      EVENTS_TOPIC: 'ev',
      DLQ_TOPIC: 'dl',
      RETRY_TOPICS: 'r1, r2',
      DEDUP_WINDOW_MS: '60000',
      DEDUP_WINDOW_MS_PIPELINER: '0',
      RETRIES_TOPIC: 'rt',
      DEDUP_MAX_ENTRIES: '10',
      DEDUP_READ_BACK_TIMEOUT_MS: '5000',
      VERIFIED_TOPIC_KOMMO_CHAT: 'in.chat',
    });
    assert.equal(set.groupId, 'g');
    assert.equal(set.eventsTopic, 'ev');
    assert.equal(set.dlqTopic, 'dl');
    assert.deepEqual(set.retryTopics, ['r1', 'r2']);
    assert.deepEqual(set.windowMs, { 'kommo-chat': 60_000, pipeliner: 0 });
    assert.equal(set.retriesTopic, 'rt');
    assert.equal(set.maxDedupEntries, 10);
    assert.equal(set.readBackTimeoutMs, 5_000);
    assert.deepEqual(set.inputTopics, { 'kommo-chat': 'in.chat' });
  });

  it('accepts LOG_LEVEL=verbose and log (Nest words), blank values as unset, the range ends', () => {
    assert.equal(environment({ LOG_LEVEL: 'verbose' }).LOG_LEVEL, 'verbose');
    assert.equal(environment({ LOG_LEVEL: 'log' }).LOG_LEVEL, 'log');
    assert.equal(environment({ PORT: ' ', EVENTS_TOPIC: '' }).EVENTS_TOPIC, TOPICS.events);
    const ends = environment({ PORT: '65535', DEDUP_WINDOW_MS: String(MAX_WINDOW_MS) });
    assert.equal(ends.PORT, 65_535);
    assert.equal(environment({ PORT: '0', DEDUP_WINDOW_MS: '0' }).DEDUP_WINDOW_MS, 0);
  });

  it('caps windows at the events topic retention: a longer one could not be restored', () => {
    const events = TOPIC_SPECS.find((spec) => spec.name === TOPICS.events);
    assert.equal(MAX_WINDOW_MS, events?.retentionMs);
  });

  const bad: [string, NodeJS.ProcessEnv, RegExp][] = [
    ['a port above 65535', { PORT: '65536' }, /^PORT must be at most 65535$/],
    ['a negative port', { PORT: '-1' }, /^PORT must be at least 0$/],
    ['a port that is no number', { PORT: 'http' }, /^PORT must be a whole number/],
    ['a negative window', { DEDUP_WINDOW_MS: '-1' }, /^DEDUP_WINDOW_MS must be at least 0$/],
    ['a fractional window', { DEDUP_WINDOW_MS_PIPELINER: '1.5' }, /^DEDUP_WINDOW_MS_PIPELINER/],
    [
      'a window beyond the retention',
      { DEDUP_WINDOW_MS_KOMMO_CHAT: String(MAX_WINDOW_MS + 1) },
      /^DEDUP_WINDOW_MS_KOMMO_CHAT must be at most 604800000$/,
    ],
    ['a retries topic with a slash', { RETRIES_TOPIC: 'a/b' }, /^RETRIES_TOPIC must be a Kafka/],
    ['too many dedup entries', { DEDUP_MAX_ENTRIES: '20000001' }, /^DEDUP_MAX_ENTRIES/],
    ['no read-back time', { DEDUP_READ_BACK_TIMEOUT_MS: '0' }, /^DEDUP_READ_BACK_TIMEOUT_MS/],
    ['a topic with a space', { EVENTS_TOPIC: 'crm events' }, /^EVENTS_TOPIC must be a Kafka/],
    ['an empty retry topic', { RETRY_TOPICS: 'a,,b' }, /^RETRY_TOPICS/],
    ['an input topic with a slash', { VERIFIED_TOPIC_PIPELINER: 'a/b' }, /^VERIFIED_TOPIC_/],
    ['an unknown log level', { LOG_LEVEL: 'loud' }, /^LOG_LEVEL must be one of/],
  ];
  for (const [name, env, expect] of bad) {
    it(`refuses ${name}`, () => {
      const problems = problemsOf(env);
      assert.deepEqual(variablesOf(problems), Object.keys(env), problems.join('; '));
      assert.ok(
        problems.some((problem) => expect.test(problem)),
        problems.join('; '),
      );
    });
  }

  it('reports every problem at once', () => {
    const problems = problemsOf({
      PORT: '70000',
      LOG_LEVEL: 'loud',
      DLQ_TOPIC: 'a b',
      DEDUP_WINDOW_MS: '-5',
      DEDUP_WINDOW_MS_KOMMO_CHAT: 'soon',
      DEDUP_MAX_ENTRIES: '-1',
    });
    assert.deepEqual(variablesOf(problems), [
      'DEDUP_MAX_ENTRIES',
      'DEDUP_WINDOW_MS',
      'DEDUP_WINDOW_MS_KOMMO_CHAT',
      'DLQ_TOPIC',
      'LOG_LEVEL',
      'PORT',
    ]);
  });

  it("refuses a schema that does not declare a source's variables", () => {
    assert.throws(
      () => normalizerConfig(environment({}), 'test', [...SOURCES, 'kommo']),
      /TwoSourceEnvironment does not declare DEDUP_WINDOW_MS_KOMMO/,
    );
  });
});
