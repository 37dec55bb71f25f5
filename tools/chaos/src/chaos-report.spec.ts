import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Source } from '@crm/contracts';
import {
  latencySummary,
  summarize,
  type PipelineObservations,
  type SentWebhook,
} from './chaos-report.js';

const T0 = 1_700_000_000_000;

/** One webhook per 100 ms for `seconds`, each answered 200 after 5 ms, its event 20 ms after receipt. */
function steadyLoad(seconds: number, source: Source = 'pipeliner'): SentWebhook[] {
  return Array.from({ length: seconds * 10 }, (_, i) => ({
    traceId: `t${i}`,
    source,
    attempts: [{ sentAt: T0 + i * 100, doneAt: T0 + i * 100 + 5, status: 200 }],
  }));
}

function observe(
  webhooks: readonly SentWebhook[],
  latencyMs: (webhook: SentWebhook) => number | undefined = () => 20,
): PipelineObservations & { eventIdCounts: Map<string, number> } {
  const receivedAt = new Map<string, number>();
  const firstEventAt = new Map<string, number>();
  const eventIdCounts = new Map<string, number>();
  for (const webhook of webhooks) {
    const acked = webhook.attempts.find((attempt) => attempt.status === 200);
    if (!acked) continue;
    receivedAt.set(webhook.traceId, acked.sentAt + 1);
    const latency = latencyMs(webhook);
    if (latency === undefined) continue;
    firstEventAt.set(webhook.traceId, acked.sentAt + 1 + latency);
    eventIdCounts.set(`ce-${webhook.traceId}`, 1);
  }
  return { receivedAt, firstEventAt, eventIdCounts, rejected: 0, deadLetters: 0 };
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
      { name: 'broker kill', at_s: 5, lasted_s: 2, recovered_s: 9, settled_s: 7 },
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

  it('summarizes latencies as nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.deepEqual(latencySummary(values), { count: 100, p50: 50, p99: 99, max: 100 });
    assert.deepEqual(latencySummary([]), { count: 0, p50: 0, p99: 0, max: 0 });
  });
});
