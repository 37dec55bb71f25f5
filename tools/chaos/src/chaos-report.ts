import {
  acknowledgedNotInRaw,
  isLate,
  replyCounts,
  replyLatencies,
  describeReplies,
  type ReplyCounts,
} from './reply-accounting.js';
import type { SentWebhook } from './sent-webhook.js';

/** What the pipeline did with the webhooks, read from its topics. */
export interface PipelineObservations {
  /** Trace id -> earliest ingress `received-at` (epoch ms) of its raw records. */
  readonly receivedAt: ReadonlyMap<string, number>;
  /** Trace id -> append time (epoch ms) of its first event. */
  readonly firstEventAt: ReadonlyMap<string, number>;
  /** How many times each `ce_id` was seen on the events topic. */
  readonly eventIdCounts: ReadonlyMap<string, number>;
  /** Every `webhook-id` on the raw topic (delivery markers left out), with its number of records. */
  readonly rawWebhookIds: ReadonlyMap<string, number>;
  /** Raw records (markers left out) carrying `spooled-at`: forwarded from an ingress spool. */
  readonly spooledRawRecords: number;
  readonly rejected: number;
  readonly deadLetters: number;
}

/** A fault as it was run: what it was, when it was injected, when its action ended. */
export interface FaultRun {
  readonly name: string;
  /** Epoch ms the fault was injected. */
  readonly at: number;
  /** Epoch ms the action ended: the node or service started again and ready (= `at` if instant). */
  readonly endedAt: number;
}

export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export interface FaultResult {
  readonly name: string;
  /** Seconds into the run the fault was injected. */
  readonly at_s: number;
  /** Seconds the fault's action took (a node killed, then started again and back in the ISR). */
  readonly lasted_s: number;
  /** Seconds from the injection until the system was back at full rate; null if it never was. */
  readonly recovered_s: number | null;
  /** Seconds from the end of the action (e.g. the node back) until full rate again; null if never. */
  readonly settled_s: number | null;
  /** What ingress answered to the requests sent while the fault's action lasted. */
  readonly replies: ReplyCounts;
}

export interface ChaosSummary {
  readonly sent: number;
  readonly acknowledged: number;
  /** Webhooks never answered 200 (after the sender's retries, for a retrying sender), per source. */
  readonly refused_by_sender_kind: Readonly<Record<string, number>>;
  /** Acknowledged, but no event for them. */
  readonly lost: number;
  /** Answered 200, but the webhook id of the reply is not on the raw topic. */
  readonly acknowledged_not_in_raw: number;
  /** Every attempt's reply, and where the 200s say the webhook was stored. */
  readonly replies: ReplyCounts;
  /** Request sent -> reply (or failure), over all attempts. */
  readonly reply_latency_ms: LatencySummary;
  /** Attempts the sender gave up on: no reply within its reply window (SENDER_POLICY). */
  readonly late_replies: number;
  /**
   * What the raw topic holds: distinct webhook ids, records repeating one
   * (extra copies: ingress stored a webhook twice), records forwarded from a spool.
   */
  readonly raw: {
    readonly webhook_ids: number;
    readonly duplicate_records: number;
    readonly spooled_records: number;
  };
  /** `ce_id`s seen more than once on the events topic (counted once per extra copy). */
  readonly duplicate_events: number;
  readonly e2e_latency_ms: { readonly steady: LatencySummary; readonly faults: LatencySummary };
  /** Longest time with no 200 reply to anyone. */
  readonly max_gap_s: number;
  readonly faults: readonly FaultResult[];
  readonly rejected: number;
  readonly dead_letters: number;
}

/** A second counts as recovered when this share of its requests got 200 ... */
const RECOVERED_ACK_RATIO = 0.99;
/** ... and the webhooks received in it reached the events topic within this (p99). */
const RECOVERED_P99_MS = 1_000;
/** ... for this many seconds in a row. */
const RECOVERED_STREAK = 3;

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? 0;
}

export function latencySummary(values: readonly number[]): LatencySummary {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: Math.round(percentile(sorted, 50)),
    p99: Math.round(percentile(sorted, 99)),
    max: Math.round(sorted[sorted.length - 1] ?? 0),
  };
}

const acknowledgedAt = (webhook: SentWebhook): number | undefined =>
  webhook.attempts.find((attempt) => attempt.status === 200)?.doneAt;

interface Second {
  sent: number;
  acked: number;
  latencies: number[];
}

/** Per second of the run (by send time): requests sent, answered 200, and e2e latencies. */
function seconds(
  webhooks: readonly SentWebhook[],
  observations: PipelineObservations,
  startedAt: number,
): Second[] {
  const buckets: Second[] = [];
  const bucket = (at: number): Second => {
    const index = Math.max(0, Math.floor((at - startedAt) / 1000));
    for (let i = buckets.length; i <= index; i += 1)
      buckets.push({ sent: 0, acked: 0, latencies: [] });
    return buckets[index] as Second;
  };
  for (const webhook of webhooks) {
    for (const attempt of webhook.attempts) {
      const second = bucket(attempt.sentAt);
      second.sent += 1;
      if (attempt.status === 200) second.acked += 1;
    }
    const first = webhook.attempts[0];
    const latency = e2eLatency(webhook, observations);
    if (first && latency !== undefined) bucket(first.sentAt).latencies.push(latency);
  }
  return buckets;
}

function e2eLatency(webhook: SentWebhook, observations: PipelineObservations): number | undefined {
  const received = observations.receivedAt.get(webhook.traceId);
  const event = observations.firstEventAt.get(webhook.traceId);
  return received === undefined || event === undefined ? undefined : Math.max(0, event - received);
}

function recovered(second: Second | undefined): boolean {
  if (!second || second.sent === 0) return false;
  const latencies = [...second.latencies].sort((a, b) => a - b);
  return (
    second.acked / second.sent >= RECOVERED_ACK_RATIO &&
    percentile(latencies, 99) <= RECOVERED_P99_MS
  );
}

/**
 * Seconds from the fault until the first of RECOVERED_STREAK seconds in a row
 * in which nearly every request got 200 and its webhooks reached the events
 * topic within a second; null if that never happened.
 */
function recoverySeconds(buckets: readonly Second[], faultIndex: number): number | null {
  for (let start = faultIndex; start + RECOVERED_STREAK <= buckets.length; start += 1) {
    let streak = true;
    for (let i = start; i < start + RECOVERED_STREAK; i += 1)
      if (!recovered(buckets[i])) streak = false;
    if (streak) return start - faultIndex;
  }
  return null;
}

/** How many records repeat an id: every copy after the first. */
function extraCopies(counts: ReadonlyMap<string, number>): number {
  let extra = 0;
  for (const count of counts.values()) extra += Math.max(0, count - 1);
  return extra;
}

/** Folds what the senders saw and what the topics hold into the run's one-line result. */
export function summarize(
  webhooks: readonly SentWebhook[],
  observations: PipelineObservations,
  faults: readonly FaultRun[],
  startedAt: number,
): ChaosSummary {
  const buckets = seconds(webhooks, observations, startedAt);
  const secondOf = (at: number) => Math.max(0, Math.floor((at - startedAt) / 1000));
  const faultResults = faults.map((fault) => ({
    name: fault.name,
    at_s: Math.round((fault.at - startedAt) / 1000),
    lasted_s: Math.round((fault.endedAt - fault.at) / 1000),
    recovered_s: recoverySeconds(buckets, secondOf(fault.at)),
    settled_s: recoverySeconds(buckets, secondOf(fault.endedAt)),
    replies: replyCounts(webhooks, fault.at, fault.endedAt),
  }));
  // A webhook sent from a fault's injection until the system settled after its action (plus the
  // streak that proved it) is "during faults"; the rest is steady.
  const windows = faults.map((fault, index) => {
    const settled = faultResults[index]?.settled_s ?? buckets.length;
    const end = startedAt + (secondOf(fault.endedAt) + settled + RECOVERED_STREAK) * 1000;
    return [fault.at, end] as const;
  });
  const duringFault = (at: number) => windows.some(([from, to]) => at >= from && at < to);

  const refused: Record<string, number> = {};
  const steady: number[] = [];
  const faulted: number[] = [];
  const acks: number[] = [];
  let late = 0;
  let acknowledged = 0;
  let lost = 0;
  for (const webhook of webhooks) {
    for (const attempt of webhook.attempts) {
      if (attempt.status === 200) acks.push(attempt.doneAt);
      if (isLate(webhook.source, attempt)) late += 1;
    }
    const acked = acknowledgedAt(webhook);
    if (acked === undefined) {
      refused[webhook.source] = (refused[webhook.source] ?? 0) + 1;
      continue;
    }
    acknowledged += 1;
    if (!observations.firstEventAt.has(webhook.traceId)) lost += 1;
    const latency = e2eLatency(webhook, observations);
    const first = webhook.attempts[0];
    if (latency !== undefined && first)
      (duringFault(first.sentAt) ? faulted : steady).push(latency);
  }
  acks.sort((a, b) => a - b);
  let maxGap = 0;
  for (let i = 1; i < acks.length; i += 1)
    maxGap = Math.max(maxGap, (acks[i] ?? 0) - (acks[i - 1] ?? 0));
  return {
    sent: webhooks.length,
    acknowledged,
    refused_by_sender_kind: refused,
    lost,
    acknowledged_not_in_raw: acknowledgedNotInRaw(webhooks, observations.rawWebhookIds).length,
    replies: replyCounts(webhooks),
    reply_latency_ms: latencySummary(replyLatencies(webhooks)),
    late_replies: late,
    raw: {
      webhook_ids: observations.rawWebhookIds.size,
      duplicate_records: extraCopies(observations.rawWebhookIds),
      spooled_records: observations.spooledRawRecords,
    },
    duplicate_events: extraCopies(observations.eventIdCounts),
    e2e_latency_ms: { steady: latencySummary(steady), faults: latencySummary(faulted) },
    max_gap_s: Math.round(maxGap / 100) / 10,
    faults: faultResults,
    rejected: observations.rejected,
    dead_letters: observations.deadLetters,
  };
}

/** The short human table printed before the JSON line. */
export function summaryTable(summary: ChaosSummary): string {
  const { steady, faults } = summary.e2e_latency_ms;
  const reply = summary.reply_latency_ms;
  const refused = Object.entries(summary.refused_by_sender_kind)
    .map(([source, count]) => `${source} ${count}`)
    .join(', ');
  const rows: [string, string][] = [
    ['sent / acknowledged', `${summary.sent} / ${summary.acknowledged}`],
    ['refused (by sender kind)', refused || 'none'],
    ['replies (stored in)', describeReplies(summary.replies)],
    [
      'reply ms p50/p99/max',
      `${reply.p50} / ${reply.p99} / ${reply.max} (n=${reply.count}), late ${summary.late_replies}`,
    ],
    [
      'raw topic: webhook ids / repeated / spooled',
      `${summary.raw.webhook_ids} / ${summary.raw.duplicate_records} / ${summary.raw.spooled_records}`,
    ],
    ['lost (acknowledged, no event)', String(summary.lost)],
    ['acknowledged, not on raw topic', String(summary.acknowledged_not_in_raw)],
    ['duplicate events (same ce_id)', String(summary.duplicate_events)],
    [
      'e2e ms steady p50/p99/max',
      `${steady.p50} / ${steady.p99} / ${steady.max} (n=${steady.count})`,
    ],
    [
      'e2e ms faults p50/p99/max',
      `${faults.p50} / ${faults.p99} / ${faults.max} (n=${faults.count})`,
    ],
    ['longest time without a 200', `${summary.max_gap_s} s`],
    ['rejected / dead letters', `${summary.rejected} / ${summary.dead_letters}`],
    ...summary.faults.map((fault): [string, string] => [
      `fault at ${fault.at_s} s: ${fault.name}`,
      `${fault.recovered_s === null ? 'NOT recovered' : `full rate after ${fault.recovered_s} s`}; replies while it lasted: ${describeReplies(fault.replies)}`,
    ]),
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  return rows.map(([name, value]) => `${name.padEnd(width)}  ${value}`).join('\n');
}
