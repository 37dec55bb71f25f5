import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FAILURE_HEADERS, REDELIVERY_HEADERS, SCHEDULER_HEADERS } from '@crm/contracts';
import type { ForwardMessage, HeldRecord } from '@crm/kafka';
import { originKey } from '../breaker/failure-origin.js';
import { isBreakerHold, planRecord, type PlanContext } from './plan-record.js';

const NOW = 1_700_000_000_000;

function tierRecord(headers: Record<string, string>, timestamp = NOW - 60_000): HeldRecord {
  const base: Record<string, string> = {
    'crm-connection': 'acme-kommo',
    [FAILURE_HEADERS.attempt]: '2',
    [FAILURE_HEADERS.dueAt]: String(NOW),
    [FAILURE_HEADERS.originTopic]: 'crm.webhooks.verified.kommo.v1',
    [FAILURE_HEADERS.originPartition]: '4',
    [FAILURE_HEADERS.originOffset]: '17',
    [FAILURE_HEADERS.originGroup]: 'crm-normalizer-kommo',
    [FAILURE_HEADERS.errorCode]: 'downstream_unavailable',
    [FAILURE_HEADERS.errorMessage]: 'try later',
    [FAILURE_HEADERS.firstFailedAt]: '2023-11-14T22:12:20.000Z',
    ...headers,
  };
  const buffers: Record<string, Buffer> = {};
  for (const [name, value] of Object.entries(base))
    if (value !== '') buffers[name] = Buffer.from(value);
  return {
    topic: 'crm.retry.1m.v1',
    partition: 1,
    offset: '9',
    key: Buffer.from('acme-kommo'),
    value: Buffer.from('body'),
    headers: buffers,
    timestamp: String(timestamp),
  };
}

function context(openUntil?: number, counted = true): PlanContext {
  return {
    breakerCounted: () => counted,
    uncountedRecheckMs: 50,
    now: NOW,
    dlqTopic: 'crm.dlq.v1',
    requeueMinDelayMs: 1_000,
    maxDueAheadMs: 86_400_000,
    breakerOpenUntil: (origin) =>
      openUntil !== undefined &&
      origin ===
        originKey({ group: 'crm-normalizer-kommo', topic: 'crm.webhooks.verified.kommo.v1' })
        ? openUntil
        : undefined,
  };
}

function headersOf(message: ForwardMessage): Record<string, string> {
  return Object.fromEntries(Object.entries(message.headers).map(([k, v]) => [k, v.toString()]));
}

describe('planRecord', () => {
  it('holds a record that is not due, until its due time', () => {
    const plan = planRecord(tierRecord({ [FAILURE_HEADERS.dueAt]: String(NOW + 5) }), context());
    assert.deepEqual(plan, { kind: 'hold', untilMs: NOW + 5 });
  });

  it('holds a due record the breaker has not counted yet, and looks again soon', () => {
    assert.deepEqual(planRecord(tierRecord({}), context(undefined, false)), {
      kind: 'hold',
      untilMs: NOW + 50,
      uncounted: true,
    });
  });

  it('holds a not-yet-due uncounted record until its due time, not the recheck', () => {
    const plan = planRecord(
      tierRecord({ [FAILURE_HEADERS.dueAt]: String(NOW + 5_000) }),
      context(undefined, false),
    );
    assert.deepEqual(plan, { kind: 'hold', untilMs: NOW + 5_000 });
  });

  it('dead-letters a record without origin even before it is counted (the breaker never counts it)', () => {
    const plan = planRecord(
      tierRecord({ [FAILURE_HEADERS.originGroup]: '' }),
      context(undefined, false),
    );
    assert.equal(plan.kind, 'malformed');
  });

  it('re-delivers a due record to its origin topic, partition and group only', () => {
    const plan = planRecord(tierRecord({}), context());
    assert.equal(plan.kind, 'release');
    if (plan.kind !== 'release') return;
    assert.equal(plan.dueAt, NOW);
    assert.equal(plan.message.topic, 'crm.webhooks.verified.kommo.v1');
    assert.equal(plan.message.partition, 4);
    assert.equal(plan.message.key?.toString(), 'acme-kommo');
    assert.equal(plan.message.value?.toString(), 'body');
    assert.deepEqual(headersOf(plan.message), {
      'crm-connection': 'acme-kommo',
      [FAILURE_HEADERS.attempt]: '2',
      [FAILURE_HEADERS.firstFailedAt]: '2023-11-14T22:12:20.000Z',
      [REDELIVERY_HEADERS.targetGroup]: 'crm-normalizer-kommo',
    });
  });

  it('drops a stale redelivery-group and breaker marker on release', () => {
    const plan = planRecord(
      tierRecord({
        [REDELIVERY_HEADERS.targetGroup]: 'other',
        [SCHEDULER_HEADERS.breakerHeldAt]: '1',
      }),
      context(),
    );
    assert.equal(
      plan.kind === 'release' && headersOf(plan.message)[REDELIVERY_HEADERS.targetGroup],
      'crm-normalizer-kommo',
    );
    assert.equal(
      plan.kind === 'release' && SCHEDULER_HEADERS.breakerHeldAt in plan.message.headers,
      false,
    );
  });

  const unusableDue: [string, string][] = [
    ['missing', ''],
    ['not a number', 'soon'],
    ['negative', '-5'],
    ['beyond the believable horizon', String(NOW + 86_400_001)],
  ];
  for (const [name, due] of unusableDue) {
    it(`releases at once when the due time is ${name}`, () => {
      const plan = planRecord(tierRecord({ [FAILURE_HEADERS.dueAt]: due }), context());
      assert.equal(plan.kind, 'release');
      assert.equal(plan.kind === 'release' && plan.dueAt, undefined);
    });
  }

  it('releases without pinning a partition when origin-partition is unusable', () => {
    const plan = planRecord(tierRecord({ [FAILURE_HEADERS.originPartition]: 'x' }), context());
    assert.equal(plan.kind === 'release' && 'partition' in plan.message, false);
  });

  for (const missing of [FAILURE_HEADERS.originTopic, FAILURE_HEADERS.originGroup]) {
    it(`dead-letters as malformed without ${missing}`, () => {
      const plan = planRecord(tierRecord({ [missing]: '' }), context());
      assert.equal(plan.kind, 'malformed');
      if (plan.kind !== 'malformed') return;
      assert.equal(plan.message.topic, 'crm.dlq.v1');
      assert.equal(headersOf(plan.message)[FAILURE_HEADERS.dlqReason], 'malformed');
      assert.equal(plan.message.value?.toString(), 'body');
    });
  }

  it('puts a due record of an open origin back at the tail of its tier partition until the breaker closes', () => {
    const plan = planRecord(tierRecord({}), context(NOW + 30_000));
    assert.equal(plan.kind, 'requeue');
    if (plan.kind !== 'requeue') return;
    assert.equal(plan.untilMs, NOW + 30_000);
    assert.equal(plan.message.topic, 'crm.retry.1m.v1');
    assert.equal(plan.message.partition, 1);
    const headers = headersOf(plan.message);
    assert.equal(headers[FAILURE_HEADERS.dueAt], String(NOW + 30_000));
    assert.equal(headers[FAILURE_HEADERS.attempt], '2');
    assert.equal(headers[SCHEDULER_HEADERS.breakerHeldAt], String(NOW));
    assert.equal(
      isBreakerHold({
        ...tierRecord({}),
        headers: { ...plan.message.headers } as Record<string, Buffer>,
      }),
      true,
    );
  });

  it('re-queues for no longer than the tier delay, so the tier stays in due order', () => {
    const plan = planRecord(tierRecord({}, NOW - 60_000), context(NOW + 300_000));
    assert.equal(plan.kind === 'requeue' && plan.untilMs, NOW + 60_000);
  });

  it('re-queues for at least the minimum delay, so a held record never spins', () => {
    const plan = planRecord(tierRecord({}, NOW), context(NOW + 300_000));
    assert.equal(plan.kind === 'requeue' && plan.untilMs, NOW + 1_000);
  });

  it('holds a not-yet-due record of an open origin like any other', () => {
    const plan = planRecord(
      tierRecord({ [FAILURE_HEADERS.dueAt]: String(NOW + 5) }),
      context(NOW + 30_000),
    );
    assert.equal(plan.kind, 'hold');
  });
});
