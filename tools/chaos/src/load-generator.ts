import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import type { ResolvedConnection } from '@crm/connections';
import { SENDER_POLICY, SOURCES, type Source } from '@crm/contracts';
import { sampleWebhook } from '@crm/testing';
import type { Attempt, SentWebhook } from './chaos-report.js';

/**
 * Kommo's account webhooks are retried after about 5, 15, 15 and 60 minutes
 * (interfaces.md §2); the run compresses that schedule by `retryScale`
 * (1/60 by default: 5, 15, 15 and 60 seconds). The other senders never retry.
 */
const KOMMO_RETRY_MINUTES = [5, 15, 15, 60];
const MINUTE_MS = 60_000;

export interface LoadOptions {
  /** Ingress base URLs; requests go round-robin, as through a load balancer. */
  readonly ingress: readonly string[];
  /** Webhooks per second, over all sources. */
  readonly rate: number;
  readonly durationMs: number;
  /** Time compression of Kommo's retry schedule (1/60: a minute becomes a second). */
  readonly retryScale: number;
  /** The connections to send on, one per source, with the secret the CRM signs with first. */
  readonly connections: () => ReadonlyMap<Source, ResolvedConnection>;
}

interface MutableWebhook extends SentWebhook {
  readonly attempts: Attempt[];
}

interface Prepared {
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/**
 * An open-loop sender: webhooks leave at the configured rate whatever the
 * replies, each with a body of its own (a distinct item id) and a trace id of
 * its own in `traceparent`. A refused connection is tried on the next
 * ingress (what a load balancer does before a request is sent); anything else
 * that is not 200 is a failure the sender sees, retried only by Kommo.
 */
export class LoadGenerator {
  readonly webhooks: MutableWebhook[] = [];
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 512 });
  private readonly pending = new Set<Promise<void>>();
  private next = 0;

  constructor(private readonly options: LoadOptions) {}

  /** Sends for the configured duration; resolves when every attempt, retries included, is done. */
  async run(): Promise<void> {
    const started = Date.now();
    await new Promise<void>((resolveRun) => {
      const timer = setInterval(() => {
        const elapsed = Date.now() - started;
        const due = Math.floor(
          (Math.min(elapsed, this.options.durationMs) * this.options.rate) / 1000,
        );
        while (this.webhooks.length < due) this.send();
        if (elapsed >= this.options.durationMs) {
          clearInterval(timer);
          resolveRun();
        }
      }, 5);
    });
    while (this.pending.size > 0) await Promise.all([...this.pending]);
    this.agent.destroy();
  }

  /** Requests sent so far that got 200, and all requests sent: for progress lines. */
  progress(): { sent: number; acknowledged: number } {
    let acknowledged = 0;
    for (const webhook of this.webhooks)
      if (webhook.attempts.some((attempt) => attempt.status === 200)) acknowledged += 1;
    return { sent: this.webhooks.length, acknowledged };
  }

  private send(): void {
    const n = this.webhooks.length;
    const source = SOURCES[n % SOURCES.length] as Source;
    const connection = this.options.connections().get(source);
    if (!connection) throw new Error(`no connection for ${source}`);
    // Numbered per source, so each source cycles through all of its kinds with ids of their own.
    const sample = sampleWebhook(connection, Math.floor(n / SOURCES.length));
    const traceId = randomBytes(16).toString('hex');
    const webhook: MutableWebhook = { traceId, source, attempts: [] };
    this.webhooks.push(webhook);
    const prepared: Prepared = {
      path: sample.path,
      body: sample.body,
      headers: {
        ...sample.headers,
        'content-type': sample.contentType,
        traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
      },
    };
    this.track(this.attempt(webhook, prepared, 0));
  }

  private track(work: Promise<void>): void {
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }

  private async attempt(webhook: MutableWebhook, prepared: Prepared, retry: number): Promise<void> {
    const sentAt = Date.now();
    const { status, webhookId } = await this.post(webhook.source, prepared);
    webhook.attempts.push({ sentAt, doneAt: Date.now(), status, ...(webhookId && { webhookId }) });
    if (status === 200 || webhook.source !== 'kommo') return;
    const minutes = KOMMO_RETRY_MINUTES[retry];
    if (minutes === undefined) return;
    await new Promise((wait) => setTimeout(wait, minutes * MINUTE_MS * this.options.retryScale));
    await this.attempt(webhook, prepared, retry + 1);
  }

  /** One POST, through the next ingress; a refused connection moves on to the others. */
  private async post(
    source: Source,
    prepared: Prepared,
  ): Promise<{ status: number; webhookId?: string }> {
    const first = this.next++;
    let outcome: { status: number; webhookId?: string; refused?: boolean } = { status: 0 };
    for (let i = 0; i < this.options.ingress.length; i += 1) {
      const base = this.options.ingress[(first + i) % this.options.ingress.length] ?? '';
      outcome = await this.postTo(base, source, prepared);
      if (!outcome.refused) break;
    }
    return outcome;
  }

  private postTo(
    base: string,
    source: Source,
    prepared: Prepared,
  ): Promise<{ status: number; webhookId?: string; refused?: boolean }> {
    return new Promise((resolvePost) => {
      const req = request(
        `${base}${prepared.path}`,
        {
          method: 'POST',
          agent: this.agent,
          headers: { ...prepared.headers, 'content-length': String(prepared.body.length) },
          // The sender gives up after its reply window: a late 200 is a failure to it.
          timeout: SENDER_POLICY[source].replyWindowMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            const id = status === 200 ? idOf(Buffer.concat(chunks).toString()) : undefined;
            resolvePost({ status, ...(id && { webhookId: id }) });
          });
          res.on('error', () => resolvePost({ status: 0 }));
        },
      );
      req.on('timeout', () => req.destroy(new Error('reply window passed')));
      req.on('error', (error: NodeJS.ErrnoException) =>
        resolvePost({ status: 0, refused: error.code === 'ECONNREFUSED' }),
      );
      req.end(prepared.body);
    });
  }
}

function idOf(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { id?: unknown };
    return typeof parsed.id === 'string' ? parsed.id : undefined;
  } catch {
    return undefined;
  }
}
