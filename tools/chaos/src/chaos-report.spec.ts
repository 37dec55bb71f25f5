import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Source } from '@crm/contracts';
import { latencySummary, summarize, type PipelineObservations } from './chaos-report.js';
import type { Attempt, SentWebhook } from './sent-webhook.js';

const T0 = 1_700_000_000_000;

/**
 * One webhook per 100 ms for `seconds`, each answered 200 (stored in Kafka, webhook id `w<i>`)
 * after 5 ms, its event 20 ms after receipt.
 */
function steadyLoad(seconds: number, source: Source = 'pipeliner'): SentWebhook[] {
  return Array.from({ length: seconds * 10 }, (_, i) => ({
    traceId: `t${i}`,
    source,
    attempts: [
      {
        sentAt: T0 + i * 100,
        doneAt: T0 + i * 100 + 5,
        status: 200,
        webhookId: `w${i}`,
        stored: 'kafka',
      },
    ],
  }));
}

/** One webhook of `source` with one attempt sent at T0 + `at`. */
function single(
  traceId: string,
  source: Source,
  at: number,
  attempt: Partial<Attempt>,
): SentWebhook {
  return {
    traceId,
    source,
    attempts: [{ sentAt: T0 + at, doneAt: T0 + at + 5, status: 200, ...attempt }],
  };
}

function observe(
  webhooks: readonly SentWebhook[],
  latencyMs: (webhook: SentWebhook) => number | undefined = () => 20,
): PipelineObservations & {
  eventIdCounts: Map<string, number>;
  rawWebhookIds: Map<string, number>;
} {
  const receivedAt = new Map<string, number>();
  const firstEventAt = new Map<string, number>();
  const eventIdCounts = new Map<string, number>();
  const rawWebhookIds = new Map<string, number>();
  let spooledRawRecords = 0;
  for (const webhook of webhooks) {
    const acked = webhook.attempts.find((attempt) => attempt.status === 200);
    if (!acked) continue;
    if (acked.webhookId !== undefined) rawWebhookIds.set(acked.webhookId, 1);
    if (acked.stored === 'spooled') spooledRawRecords += 1;
    receivedAt.set(webhook.traceId, acked.sentAt + 1);
    const latency = latencyMs(webhook);
    if (latency === undefined) continue;
    firstEventAt.set(webhook.traceId, acked.sentAt + 1 + latency);
    eventIdCounts.set(`ce-${webhook.traceId}`, 1);
  }
  return {
    receivedAt,
    firstEventAt,
    eventIdCounts,
    rawWebhookIds,
    spooledRawRecords,
    rejected: 0,
    deadLetters: 0,
  };
}

describe('the chaos run summary', () => {
  it('counts an acknowledged webhook without an event as lost, and nothing else', () => {
    const webhooks = steadyLoad(5);
    const summary = summarize(
      webhooks,
      observe(webhooks, (w) => (w.traceId === 't7' ? undefined : 20)),
      [],
      T0,
    );
    assert.equal(summary.sent, 50);
    assert.equal(summary.acknowledged, 50);
    assert.equal(summary.lost, 1);
    assert.deepEqual(summary.refused_by_sender_kind, {});
  });

  it('counts a webhook no attempt of which got 200 as refused, by its sender kind', () => {
    const webhooks: SentWebhook[] = [
      ...steadyLoad(1),
      {
        traceId: 'x',
        source: 'kommo-chat',
        attempts: [{ sentAt: T0, doneAt: T0 + 1, status: 503 }],
      },
      {
        traceId: 'y',
        source: 'kommo',
        attempts: [
          { sentAt: T0, doneAt: T0 + 1, status: 503 },
          { sentAt: T0 + 5_000, doneAt: T0 + 5_010, status: 200 },
        ],
      },
    ];
    const summary = summarize(webhooks, observe(webhooks), [], T0);
    assert.deepEqual(summary.refused_by_sender_kind, { 'kommo-chat': 1 });
    assert.equal(summary.acknowledged, 11);
    assert.equal(summary.lost, 0);
  });

  it('counts every extra copy of a ce_id as a duplicate event', () => {
    const webhooks = steadyLoad(1);
    const observations = observe(webhooks);
    observations.eventIdCounts.set('ce-t1', 3);
    observations.eventIdCounts.set('ce-t2', 2);
    assert.equal(summarize(webhooks, observations, [], T0).duplicate_events, 3);
  });

  it('measures the longest time without a 200 reply', () => {
    const webhooks = steadyLoad(10).filter((_, i) => i < 30 || i >= 62);
    assert.equal(summarize(webhooks, observe(webhooks), [], T0).max_gap_s, 3.3);
  });

  it('finds when a fault was recovered from: replies and events back at full rate for three seconds', () => {
    // 20 s of load; a fault at 5 s; until 11 s every request fails; until 14 s events take 3 s.
    const webhooks = steadyLoad(20).map((webhook) => {
      const at = (webhook.attempts[0]?.sentAt ?? T0) - T0;
      return at >= 5_000 && at < 11_000
        ? { ...webhook, attempts: [{ sentAt: T0 + at, doneAt: T0 + at + 1, status: 503 }] }
        : webhook;
    });
    const observations = observe(webhooks, (webhook) => {
      const at = (webhook.attempts[0]?.sentAt ?? T0) - T0;
      return at < 14_000 && at >= 5_000 ? 3_000 : 20;
    });
    const summary = summarize(
      webhooks,
      observations,
      [{ name: 'broker kill', at: T0 + 5_000, endedAt: T0 + 7_000 }],
      T0,
    );
    assert.deepEqual(summary.faults, [
      {
        name: 'broker kill',
        at_s: 5,
        lasted_s: 2,
        recovered_s: 9,
        settled_s: 7,
        // The 20 requests sent from 5 s to 7 s, while the action lasted.
        replies: { by_status: { '503': 20 }, stored: {} },
      },
    ]);
    // Latencies of webhooks sent during the fault and its recovery count as "faults", the rest as steady.
    assert.equal(summary.e2e_latency_ms.faults.max, 3_000);
    assert.equal(summary.e2e_latency_ms.steady.max, 20);
    assert.equal(summary.refused_by_sender_kind['pipeliner'], 60);
  });

  it('says a fault was never recovered from when the run ends first', () => {
    const webhooks = steadyLoad(6).map((webhook, i) =>
      i >= 30
        ? { ...webhook, attempts: [{ sentAt: T0 + i * 100, doneAt: T0 + i * 100, status: 0 }] }
        : webhook,
    );
    const summary = summarize(
      webhooks,
      observe(webhooks),
      [{ name: 'stall', at: T0 + 3_000, endedAt: T0 + 3_000 }],
      T0,
    );
    assert.equal(summary.faults[0]?.recovered_s, null);
  });

  it('counts a 200 whose webhook id is not on the raw topic, and only a 200', () => {
    const webhooks = [
      ...steadyLoad(1),
      // Refused: its id was never promised to be stored.
      single('refused', 'pipeliner', 0, { status: 503, webhookId: 'r1' }),
      // Refused once, then acknowledged: only the acknowledged id must be on the topic.
      {
        traceId: 'retried',
        source: 'kommo',
        attempts: [
          { sentAt: T0, doneAt: T0 + 1, status: 503, webhookId: 'k-first' },
          { sentAt: T0 + 5_000, doneAt: T0 + 5_010, status: 200, webhookId: 'k-second' },
        ],
      },
    ] satisfies SentWebhook[];
    const observations = observe(webhooks);
    assert.equal(summarize(webhooks, observations, [], T0).acknowledged_not_in_raw, 0);
    observations.rawWebhookIds.delete('w3');
    observations.rawWebhookIds.delete('k-second');
    // A 200 whose body named no id cannot be found on the topic either.
    const withoutId = [...webhooks, single('no-id', 'amocrm', 0, {})];
    const summary = summarize(withoutId, observations, [], T0);
    assert.equal(summary.acknowledged_not_in_raw, 3);
    // Its event may still be there (another copy landed): that is no reason to stop counting it.
    assert.equal(summary.lost, 1);
  });

  it('reports what the raw topic holds: distinct webhook ids, repeated ones, spooled records', () => {
    const webhooks = [
      ...steadyLoad(1),
      single('s1', 'kommo', 0, { webhookId: 's1', stored: 'spooled' }),
      single('s2', 'kommo-chat', 0, { webhookId: 's2', stored: 'spooled' }),
    ];
    const observations = observe(webhooks);
    // s1 landed three times (say its first send late, and the spool's copy twice), w4 twice.
    observations.rawWebhookIds.set('s1', 3);
    observations.rawWebhookIds.set('w4', 2);
    assert.deepEqual(summarize(webhooks, observations, [], T0).raw, {
      webhook_ids: 12,
      duplicate_records: 3,
      spooled_records: 2,
    });
  });

  it("counts every attempt's reply by status, and the 200s by where they were stored", () => {
    const webhooks: SentWebhook[] = [
      ...steadyLoad(1),
      single('s1', 'pipeliner', 0, { webhookId: 's1', stored: 'spooled' }),
      single('s2', 'pipeliner', 0, { webhookId: 's2', stored: 'spooled' }),
      single('old', 'pipeliner', 0, { webhookId: 'old' }),
      single('busy', 'kommo-chat', 0, { status: 503 }),
      single('reset', 'pipeliner', 0, { status: 0, failure: 'connection' }),
      single('slow', 'pipeliner', 0, { status: 0, failure: 'timeout', doneAt: T0 + 2_000 }),
      {
        traceId: 'retried',
        source: 'kommo',
        attempts: [
          { sentAt: T0, doneAt: T0 + 1, status: 429 },
          { sentAt: T0 + 5_000, doneAt: T0 + 5_010, status: 200, stored: 'kafka' },
        ],
      },
    ];
    assert.deepEqual(summarize(webhooks, observe(webhooks), [], T0).replies, {
      by_status: { '200': 14, '429': 1, '503': 1, error: 1, timeout: 1 },
      stored: { kafka: 11, spooled: 2, unknown: 1 },
    });
  });

  it('measures reply latency over all attempts and counts the replies the sender gave up on', () => {
    const after = (ms: number) => ({ doneAt: T0 + ms });
    const webhooks: SentWebhook[] = [
      single('a', 'pipeliner', 0, after(10)),
      single('b', 'pipeliner', 0, after(2_000)), // just within Pipeliner's 2 s
      single('c', 'kommo', 0, after(2_001)), // late for Kommo
      single('d', 'kommo-chat', 0, after(4_000)), // within chat's 5 s
      single('e', 'kommo-chat', 0, after(5_500)), // late for chat
      single('f', 'amocrm', 0, { status: 0, failure: 'timeout', ...after(2_000) }),
      single('g', 'amocrm', 0, { status: 0, failure: 'connection', ...after(3) }),
    ];
    const summary = summarize(webhooks, observe(webhooks), [], T0);
    assert.equal(summary.late_replies, 3);
    assert.deepEqual(summary.reply_latency_ms, { count: 7, p50: 2_000, p99: 5_500, max: 5_500 });
  });

  it('tells, per fault, what the requests sent while it lasted were answered', () => {
    const webhooks = steadyLoad(4).map((webhook, i) =>
      i >= 10 && i < 20
        ? single(webhook.traceId, 'kommo', i * 100, { webhookId: `w${i}`, stored: 'spooled' })
        : webhook,
    );
    const summary = summarize(
      webhooks,
      observe(webhooks),
      [{ name: 'outage', at: T0 + 1_000, endedAt: T0 + 2_500 }],
      T0,
    );
    assert.deepEqual(summary.faults[0]?.replies, {
      by_status: { '200': 15 },
      stored: { kafka: 5, spooled: 10 },
    });
  });

  it('summarizes latencies as nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.deepEqual(latencySummary(values), { count: 100, p50: 50, p99: 99, max: 100 });
    assert.deepEqual(latencySummary([]), { count: 0, p50: 0, p99: 0, max: 0 });
  });
});
