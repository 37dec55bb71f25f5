import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FAILURE_HEADERS, PipelineError } from '@crm/contracts';
import { classify, routeFailure, type FailureContext } from './failure-routing.js';
import type { InboundRecord } from './inbound-record.js';

const RECORD: InboundRecord = {
  topic: 'crm.webhooks.raw.v1',
  partition: 3,
  offset: '42',
  key: Buffer.from('acme'),
  value: Buffer.from('body'),
  headers: { 'webhook-id': Buffer.from('w1') },
  timestamp: '0',
};
const CONTEXT: FailureContext = {
  groupId: 'crm-verifier',
  retryTopics: ['r1', 'r2', 'r3', 'r4'],
  dlqTopic: 'dlq',
  delaysMs: [1_000, 5_000, 15_000, 30_000],
  now: 1_700_000_000_000,
};
const transient = new PipelineError('broker_down', 'produce failed', true);
const permanent = new PipelineError('invalid_payload', 'not JSON', false);

function route(error: unknown, attempt?: number) {
  const control = new Map<string, string>();
  if (attempt !== undefined) control.set(FAILURE_HEADERS.attempt, String(attempt));
  return routeFailure(RECORD, error, control, CONTEXT);
}

describe('routeFailure', () => {
  const cases = [
    {
      name: 'first retriable failure -> tier 1',
      error: transient,
      attempt: undefined,
      topic: 'r1',
      due: 1_000,
      next: '1',
    },
    { name: 'second -> tier 2', error: transient, attempt: 1, topic: 'r2', due: 5_000, next: '2' },
    { name: 'fourth -> tier 4', error: transient, attempt: 3, topic: 'r4', due: 30_000, next: '4' },
    {
      name: 'unknown errors are retriable',
      error: new Error('boom'),
      attempt: undefined,
      topic: 'r1',
      due: 1_000,
      next: '1',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { message, outcome } = route(c.error, c.attempt);
      assert.equal(outcome, 'retried');
      assert.equal(message.topic, c.topic);
      assert.equal(message.headers?.[FAILURE_HEADERS.attempt], c.next);
      assert.equal(message.headers?.[FAILURE_HEADERS.dueAt], String(CONTEXT.now + c.due));
      assert.equal(message.headers?.[FAILURE_HEADERS.originTopic], 'crm.webhooks.raw.v1');
      assert.equal(message.headers?.[FAILURE_HEADERS.originPartition], '3');
      assert.equal(message.headers?.[FAILURE_HEADERS.originOffset], '42');
      assert.equal(message.headers?.[FAILURE_HEADERS.originGroup], 'crm-verifier');
      assert.deepEqual(message.key, RECORD.key);
      assert.deepEqual(message.value, RECORD.value);
      assert.deepEqual(message.headers?.['webhook-id'], Buffer.from('w1'));
    });
  }

  it('dead-letters when retries are exhausted', () => {
    const { message, outcome, code } = route(transient, 4);
    assert.equal(outcome, 'dead_lettered');
    assert.equal(code, 'broker_down');
    assert.equal(message.topic, 'dlq');
    assert.equal(message.headers?.[FAILURE_HEADERS.dlqReason], 'retries_exhausted');
    assert.equal(message.headers?.[FAILURE_HEADERS.errorCode], 'broker_down');
    assert.equal(message.headers?.[FAILURE_HEADERS.attempts], '5');
  });

  it('dead-letters a non-retriable error at once, with its code as the reason', () => {
    const { message, outcome } = route(permanent);
    assert.equal(outcome, 'dead_lettered');
    assert.equal(message.headers?.[FAILURE_HEADERS.dlqReason], 'invalid_payload');
    assert.equal(message.headers?.[FAILURE_HEADERS.errorMessage], 'not JSON');
  });

  it('keeps the first failure time across attempts and truncates long messages', () => {
    const control = new Map([
      [FAILURE_HEADERS.attempt, '1'],
      [FAILURE_HEADERS.firstFailedAt, '2026-01-01T00:00:00.000Z'],
    ]);
    const { message } = routeFailure(RECORD, new Error('x'.repeat(2_000)), control, CONTEXT);
    assert.equal(message.headers?.[FAILURE_HEADERS.firstFailedAt], '2026-01-01T00:00:00.000Z');
    assert.equal(String(message.headers?.[FAILURE_HEADERS.errorMessage]).length, 500);
  });
});

describe('classify', () => {
  it('reads PipelineError flags and treats anything else as unexpected', () => {
    assert.deepEqual(classify(permanent), {
      code: 'invalid_payload',
      message: 'not JSON',
      retriable: false,
    });
    assert.deepEqual(classify('text'), {
      code: 'unexpected_error',
      message: 'text',
      retriable: true,
    });
  });
});
