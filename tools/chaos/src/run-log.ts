import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { SENDER_POLICY, SOURCES } from '@crm/contracts';
import { latencySummary, type FaultRun } from './chaos-report.js';
import type { LoadGenerator } from './load-generator.js';
import type { PipelineLedger } from './pipeline-ledger.js';
import {
  acknowledgedNotInRaw,
  describeReplies,
  replyCounts,
  replyLatencies,
} from './reply-accounting.js';
import type { Attempt, SentWebhook } from './sent-webhook.js';

const PROGRESS_MS = 10_000;
/** Every request has its reply (or its sender gave up) this long after it was sent. */
const LONGEST_REPLY_WINDOW_MS = Math.max(...SOURCES.map((s) => SENDER_POLICY[s].replyWindowMs));
const EXAMPLES = 20;

type Log = (line: string) => void;

/**
 * Every 10 s: the totals, and the replies to the requests sent in the 10 s
 * before the last reply window (all answered by now), with the machine's load
 * and how late this process's own timers ran (a late timer is a late send and
 * a late give-up: the tool itself short of CPU). Returns the stop.
 */
export function logProgress(
  log: Log,
  generator: LoadGenerator,
  ledger: PipelineLedger,
  loadStartedAt: number,
): () => void {
  const loopDelay = monitorEventLoopDelay({ resolution: 20 });
  loopDelay.enable();
  const timer = setInterval(() => {
    const { sent, acknowledged, spooled } = generator.progress();
    log(
      `sent ${sent}, acknowledged ${acknowledged} (spooled ${spooled}), events for ${ledger.firstEventAt.size}`,
    );
    const to = Date.now() - LONGEST_REPLY_WINDOW_MS;
    const from = to - PROGRESS_MS;
    const latency = latencySummary(replyLatencies(generator.webhooks, from, to));
    const second = (at: number) => Math.round((at - loadStartedAt) / 1000);
    log(
      `  sent ${second(from)}-${second(to)} s: ${describeReplies(replyCounts(generator.webhooks, from, to))}, reply ms p50/p99 ${latency.p50}/${latency.p99}; load average ${(loadavg()[0] ?? 0).toFixed(1)}, this process's event loop late by up to ${Math.round(loopDelay.max / 1e6)} ms`,
    );
    loopDelay.reset();
  }, PROGRESS_MS);
  return () => {
    clearInterval(timer);
    loopDelay.disable();
  };
}

/** Once a fault's last requests have their replies: what they were. */
export function logFaultReplies(log: Log, generator: LoadGenerator, fault: FaultRun): void {
  setTimeout(() => {
    const replies = replyCounts(generator.webhooks, fault.at, fault.endedAt);
    log(`replies to requests sent during "${fault.name}": ${describeReplies(replies)}`);
  }, LONGEST_REPLY_WINDOW_MS).unref();
}

/** Acknowledged webhooks with no event (yet). */
export function withoutEvent(generator: LoadGenerator, ledger: PipelineLedger): SentWebhook[] {
  return generator.webhooks.filter(
    (webhook) =>
      webhook.attempts.some((attempt) => attempt.status === 200) &&
      !ledger.firstEventAt.has(webhook.traceId),
  );
}

const describeAttempt = (a: Attempt): string =>
  `${a.status}${a.stored ? ` ${a.stored}` : ''} ${a.webhookId ?? '(no id)'}`;

/** The first few webhooks the accounting found wanting, for a look at the services' logs. */
export function logUnaccounted(log: Log, generator: LoadGenerator, ledger: PipelineLedger): void {
  const examples: [string, SentWebhook[]][] = [
    ['lost', withoutEvent(generator, ledger)],
    [
      'acknowledged, not on the raw topic',
      acknowledgedNotInRaw(generator.webhooks, ledger.rawWebhookIds),
    ],
  ];
  for (const [what, webhooks] of examples)
    for (const webhook of webhooks.slice(0, EXAMPLES))
      log(
        `${what}: ${webhook.source} trace ${webhook.traceId}, attempts ${webhook.attempts.map(describeAttempt).join(', ')}`,
      );
}
