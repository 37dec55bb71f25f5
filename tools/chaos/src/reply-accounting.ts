import { SENDER_POLICY, type Source } from '@crm/contracts';
import type { Attempt, SentWebhook } from './sent-webhook.js';

/** What ingress answered, counted per attempt. */
export interface ReplyCounts {
  /**
   * Attempts by HTTP status (`"200"`, `"503"`, …); `error`: the connection
   * failed (refused by every ingress, reset); `timeout`: no reply within the
   * sender's reply window (it gave up).
   */
  readonly by_status: Readonly<Record<string, number>>;
  /** 200 replies by where ingress stored the webhook; `unknown`: the reply body did not say. */
  readonly stored: Readonly<Record<string, number>>;
}

/** The `by_status` key of an attempt. */
export function replyKind(attempt: Attempt): string {
  if (attempt.status !== 0) return String(attempt.status);
  return attempt.failure === 'timeout' ? 'timeout' : 'error';
}

/** Whether the sender had given up before the reply: it came after its reply window, or never. */
export function isLate(source: Source, attempt: Attempt): boolean {
  return (
    attempt.failure === 'timeout' ||
    attempt.doneAt - attempt.sentAt > SENDER_POLICY[source].replyWindowMs
  );
}

function sortedKeys(counts: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...counts].sort(([a], [b]) => a.localeCompare(b)));
}

/** The replies to the attempts sent in [from, to). */
export function replyCounts(
  webhooks: readonly SentWebhook[],
  from = Number.NEGATIVE_INFINITY,
  to = Number.POSITIVE_INFINITY,
): ReplyCounts {
  const byStatus = new Map<string, number>();
  const stored = new Map<string, number>();
  for (const webhook of webhooks)
    for (const attempt of webhook.attempts) {
      if (attempt.sentAt < from || attempt.sentAt >= to) continue;
      const kind = replyKind(attempt);
      byStatus.set(kind, (byStatus.get(kind) ?? 0) + 1);
      if (attempt.status !== 200) continue;
      const where = attempt.stored ?? 'unknown';
      stored.set(where, (stored.get(where) ?? 0) + 1);
    }
  return { by_status: sortedKeys(byStatus), stored: sortedKeys(stored) };
}

/** Request sent -> reply (or failure) of each attempt sent in [from, to). */
export function replyLatencies(
  webhooks: readonly SentWebhook[],
  from = Number.NEGATIVE_INFINITY,
  to = Number.POSITIVE_INFINITY,
): number[] {
  const latencies: number[] = [];
  for (const webhook of webhooks)
    for (const attempt of webhook.attempts)
      if (attempt.sentAt >= from && attempt.sentAt < to)
        latencies.push(attempt.doneAt - attempt.sentAt);
  return latencies;
}

/** One line for a log or a table: `200 ×1200 (kafka 200, spooled 1000), 503 ×3`. */
export function describeReplies(counts: ReplyCounts): string {
  const statuses = Object.entries(counts.by_status);
  if (statuses.length === 0) return 'no requests';
  return statuses
    .map(([kind, count]) => {
      const stored = Object.entries(counts.stored).map(([where, n]) => `${where} ${n}`);
      return kind === '200' && stored.length > 0
        ? `${kind} ×${count} (${stored.join(', ')})`
        : `${kind} ×${count}`;
    })
    .join(', ');
}

/**
 * Webhooks answered 200 whose webhook id is not among the raw topic's
 * `webhook-id`s (a 200 whose body named no id counts too: nothing proves it landed).
 */
export function acknowledgedNotInRaw(
  webhooks: readonly SentWebhook[],
  rawWebhookIds: ReadonlyMap<string, unknown>,
): SentWebhook[] {
  return webhooks.filter((webhook) =>
    webhook.attempts.some(
      (attempt) =>
        attempt.status === 200 &&
        (attempt.webhookId === undefined || !rawWebhookIds.has(attempt.webhookId)),
    ),
  );
}
