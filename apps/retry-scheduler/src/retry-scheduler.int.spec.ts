import 'reflect-metadata';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { INestMicroservice } from '@nestjs/common';
import { FAILURE_HEADERS, REDELIVERY_HEADERS } from '@crm/contracts';
import { readTopicSnapshot, heldHeader, type HeldRecord, type Kafka } from '@crm/kafka';
import { produce, testKafka, uniqueGroup, uniqueTopic, waitFor } from '@crm/testing';
import { createTopics } from './test-support/create-topics.js';
import { FlakyLedger, startFlakyRuntime } from './test-support/flaky-app.js';
import {
  metricValue,
  settled,
  startScheduler,
  type RunningScheduler,
} from './test-support/start-scheduler.js';

async function snapshot(kafka: Kafka, topic: string): Promise<HeldRecord[]> {
  const records: HeldRecord[] = [];
  await readTopicSnapshot(kafka, topic, (record) => records.push(record));
  return records;
}

function tierHeaders(
  origin: { topic: string; group: string },
  dueAt: number,
  extra: Record<string, string> = {},
) {
  return {
    [FAILURE_HEADERS.attempt]: '1',
    [FAILURE_HEADERS.dueAt]: String(dueAt),
    [FAILURE_HEADERS.originTopic]: origin.topic,
    [FAILURE_HEADERS.originPartition]: '0',
    [FAILURE_HEADERS.originOffset]: '0',
    [FAILURE_HEADERS.originGroup]: origin.group,
    [FAILURE_HEADERS.errorCode]: 'downstream_unavailable',
    [FAILURE_HEADERS.firstFailedAt]: new Date().toISOString(),
    ...extra,
  };
}

describe('retry scheduler (through the real broker)', () => {
  let kafka: Kafka;
  const apps: INestMicroservice[] = [];
  const schedulers: RunningScheduler[] = [];
  before(() => {
    kafka = testKafka('retry-scheduler-test');
  });
  after(async () => {
    await Promise.all([
      ...apps.map((app) => app.close()),
      ...schedulers.map((s) => s.service.close()),
    ]);
  });

  async function topics(tiers: number, partitions = 1) {
    const made = {
      input: uniqueTopic('rs-in'),
      output: uniqueTopic('rs-out'),
      bystander: uniqueTopic('rs-by'),
      retry: Array.from({ length: tiers }, (_, i) => uniqueTopic(`rs-r${i + 1}`)),
      dlq: uniqueTopic('rs-dlq'),
    };
    await createTopics(
      kafka,
      [made.input, made.output, made.bystander, ...made.retry, made.dlq],
      partitions,
    );
    return made;
  }

  it('a record failing N times then succeeding is handled exactly once after success, and only by the group that failed it', async () => {
    const t = await topics(3, 2);
    const [flaky, bystander, schedulerGroup] = [
      uniqueGroup('rs-a'),
      uniqueGroup('rs-b'),
      uniqueGroup('rs-s'),
    ];
    const ledger = new FlakyLedger();
    const bystanderLedger = new FlakyLedger();
    const delays = [1_000, 1_000, 1_500];
    apps.push(await startFlakyRuntime(t, flaky, { output: t.output, ledger, flaky: true }, delays));
    apps.push(
      await startFlakyRuntime(
        t,
        bystander,
        { output: t.bystander, ledger: bystanderLedger, flaky: false },
        delays,
      ),
    );
    const running = await startScheduler({
      RETRY_TOPICS: t.retry.join(','),
      DLQ_TOPIC: t.dlq,
      SCHEDULER_GROUP_ID: schedulerGroup,
    });
    schedulers.push(running);
    const { registry } = running;
    const failTimes = [0, 1, 2, 3, 1, 2];
    await produce(
      kafka,
      t.input,
      failTimes.map((n, i) => ({
        key: `k${i}`,
        value: `v${i}`,
        headers: { 'fail-times': String(n) },
      })),
    );
    await waitFor(() => ledger.successes.size === failTimes.length, {
      timeoutMs: 30_000,
      description: 'every record succeeded',
    });
    await waitFor(
      async () =>
        (await settled(kafka, flaky, [t.input])) &&
        (await settled(kafka, bystander, [t.input])) &&
        (await settled(kafka, schedulerGroup, t.retry)),
      { timeoutMs: 20_000, description: 'all groups committed everything' },
    );
    const out = await snapshot(kafka, t.output);
    assert.deepEqual(
      out.map((r) => r.value?.toString()).sort(),
      failTimes.map((_, i) => `v${i}`),
    );
    failTimes.forEach((n, i) => {
      assert.equal(ledger.failures.get(`v${i}`) ?? 0, n, `v${i} failures`);
      assert.equal(ledger.successes.get(`v${i}`), 1, `v${i} successes`);
    });
    const bystanderOut = await snapshot(kafka, t.bystander);
    assert.equal(
      bystanderOut.length,
      failTimes.length,
      'the bystander group never sees a re-delivery',
    );
    const redelivered = (await snapshot(kafka, t.input)).filter((r) =>
      heldHeader(r, REDELIVERY_HEADERS.targetGroup),
    );
    assert.equal(redelivered.length, 9);
    for (const record of redelivered) {
      assert.equal(heldHeader(record, REDELIVERY_HEADERS.targetGroup), flaky);
      assert.ok(heldHeader(record, FAILURE_HEADERS.attempt));
      assert.equal(heldHeader(record, FAILURE_HEADERS.dueAt), undefined);
    }
    assert.equal(await metricValue(registry, 'crm_retry_released_total'), 9);
    assert.equal(await metricValue(registry, 'crm_retry_waiting_records'), 0);
    const metrics = await (await fetch(`${running.service.url}/metrics`)).text();
    assert.match(metrics, /^crm_retry_released_total\{tier="[^"]+",group="[^"]+"\} \d+$/m);
    assert.match(metrics, /^process_cpu_seconds_total /m);
    for (const [, name = '', type] of metrics.matchAll(/^# TYPE (crm_retry_\w+) (\w+)$/gm))
      assert.equal(
        name.endsWith('_total'),
        type === 'counter',
        `${name} (${type}): _total iff counter`,
      );
    assert.equal((await fetch(`${running.service.url}/healthz`)).status, 200);
  });

  it('a record that keeps failing lands in the DLQ with the reason once its retries are exhausted', async () => {
    const t = await topics(2);
    const [group, schedulerGroup] = [uniqueGroup('rs-a'), uniqueGroup('rs-s')];
    const ledger = new FlakyLedger();
    apps.push(
      await startFlakyRuntime(t, group, { output: t.output, ledger, flaky: true }, [1_000, 1_000]),
    );
    const running = await startScheduler({
      RETRY_TOPICS: t.retry.join(','),
      DLQ_TOPIC: t.dlq,
      SCHEDULER_GROUP_ID: schedulerGroup,
    });
    schedulers.push(running);
    const { registry } = running;
    await produce(kafka, t.input, [
      { key: 'k', value: 'doomed', headers: { 'fail-times': 'always' } },
    ]);
    const dead = await waitFor(
      async () => {
        const records = await snapshot(kafka, t.dlq);
        return records.length > 0 ? records : undefined;
      },
      { timeoutMs: 30_000, description: 'dead letter' },
    );
    assert.equal(dead.length, 1);
    const [letter] = dead;
    assert.ok(letter);
    assert.equal(letter.value?.toString(), 'doomed');
    assert.equal(heldHeader(letter, FAILURE_HEADERS.dlqReason), 'retries_exhausted');
    assert.equal(heldHeader(letter, FAILURE_HEADERS.attempts), '3');
    assert.equal(heldHeader(letter, FAILURE_HEADERS.errorCode), 'downstream_unavailable');
    assert.equal(heldHeader(letter, FAILURE_HEADERS.originGroup), group);
    assert.equal(heldHeader(letter, FAILURE_HEADERS.originTopic), t.input);
    assert.equal(ledger.failures.get('doomed'), 3);
    assert.equal(ledger.successes.get('doomed'), undefined);
    await waitFor(
      async () => (await metricValue(registry, 'crm_retry_exhausted_total', { group })) === 1,
      {
        description: 'exhausted metric',
      },
    );
  });

  it('a scheduler restart mid-wait neither loses nor releases early', async () => {
    const t = await topics(1, 2);
    const schedulerGroup = uniqueGroup('rs-s');
    const origin = { topic: t.input, group: 'restart-test-group' };
    const dueAt = Date.now() + 6_000;
    await produce(
      kafka,
      t.retry[0] ?? '',
      Array.from({ length: 20 }, (_, i) => ({
        key: `k${i}`,
        value: `v${i}`,
        headers: tierHeaders(origin, dueAt + (i % 2) * 500),
      })),
    );
    const env = {
      RETRY_TOPICS: t.retry.join(','),
      DLQ_TOPIC: t.dlq,
      SCHEDULER_GROUP_ID: schedulerGroup,
    };
    const first = await startScheduler(env);
    await waitFor(() => first.scheduler.held().flatMap((entry) => entry.partitions).length === 2, {
      description: 'both partitions held',
    });
    await first.service.close();
    assert.ok(Date.now() < dueAt, 'the first scheduler stopped before anything was due');
    assert.equal((await snapshot(kafka, t.input)).length, 0, 'nothing released before due');
    const second = await startScheduler(env);
    schedulers.push(second);
    await waitFor(async () => settled(kafka, schedulerGroup, t.retry), {
      timeoutMs: 20_000,
      description: 'tier fully released',
    });
    const released = await snapshot(kafka, t.input);
    assert.deepEqual(
      released.map((r) => r.value?.toString()).sort(),
      Array.from({ length: 20 }, (_, i) => `v${i}`).sort(),
    );
    for (const record of released)
      assert.ok(Number(record.timestamp) >= dueAt, `released at ${record.timestamp}, due ${dueAt}`);
  });

  it('the breaker holds a failing origin for its open time without blocking other origins in the same partition', async () => {
    const t = await topics(1);
    const schedulerGroup = uniqueGroup('rs-s');
    const running = await startScheduler({
      RETRY_TOPICS: t.retry.join(','),
      DLQ_TOPIC: t.dlq,
      SCHEDULER_GROUP_ID: schedulerGroup,
      BREAKER_THRESHOLD: '3',
      BREAKER_WINDOW_MS: '10000',
      BREAKER_OPEN_MS: '3000',
      REQUEUE_MIN_DELAY_MS: '500',
    });
    schedulers.push(running);
    const { scheduler, registry } = running;
    const failing = { topic: t.input, group: 'breaker-failing' };
    const healthy = { topic: t.input, group: 'breaker-healthy' };
    const dueAt = Date.now() + 1_500;
    const order = [failing, healthy, failing, failing, healthy, failing];
    await produce(
      kafka,
      t.retry[0] ?? '',
      order.map((origin, i) => ({
        key: `k${i}`,
        value: `${origin.group}-${i}`,
        headers: tierHeaders(origin, dueAt),
      })),
    );
    const key = `${failing.group}\u0000${failing.topic}`;
    const openUntil = await waitFor(() => scheduler.breaker.openUntil(key, Date.now()), {
      description: 'breaker open',
    });
    await waitFor(async () => settled(kafka, schedulerGroup, t.retry), {
      timeoutMs: 20_000,
      description: 'tier fully released',
    });
    assert.equal(scheduler.breaker.openUntil(key, Date.now()), undefined, 'breaker closed again');
    const released = await snapshot(kafka, t.input);
    assert.equal(released.length, order.length, 'nothing dropped, nothing duplicated');
    for (const record of released) {
      const group = heldHeader(record, REDELIVERY_HEADERS.targetGroup);
      const at = Number(record.timestamp);
      if (group === failing.group)
        assert.ok(at >= openUntil, `failing origin released at ${at} < ${openUntil}`);
      else
        assert.ok(
          at < openUntil,
          `healthy origin waited for the other breaker (${at} >= ${openUntil})`,
        );
      assert.equal(heldHeader(record, FAILURE_HEADERS.attempt), '1', 'attempt count kept');
    }
    assert.ok((await metricValue(registry, 'crm_retry_breaker_requeued_total')) >= 4);
    assert.equal(await metricValue(registry, 'crm_retry_breaker_opened_total'), 1);
  });
});
