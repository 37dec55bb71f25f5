import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import type { ResolvedConnection } from '@crm/connections';
import { SENDER_POLICY, SOURCES, type Source } from '@crm/contracts';
import { sampleWebhook } from '@crm/testing';
import { parseIngressReply } from './ingress-reply.js';
import type { Attempt, SentWebhook } from './sent-webhook.js';

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
  /** false: no retries at all, not even Kommo's (a warm-up that nobody accounts for). */
  readonly retries?: boolean;
  /**
   * The first webhook's number (numbers give bodies their item ids): a
   * second generator starts past the first one's, or it repeats its bodies.
   */
  readonly numberFrom?: number;
  /** The connections to send on, one per source, with the secret the CRM signs with first. */
  readonly connections: () => ReadonlyMap<Source, ResolvedConnection>;
  /** Keep-alive connections to reuse (a warm-up's); else the generator's own, closed at the end. */
  readonly agent?: Agent;
}

/** Connections per ingress at most: far above rate x reply time, so no request queues for one. */
export const newSenderAgent = (): Agent => new Agent({ keepAlive: true, maxSockets: 512 });

interface MutableWebhook extends SentWebhook {
  readonly attempts: Attempt[];
}

/** What one attempt came to, as the sender sees it. */
type Reply = Omit<Attempt, 'sentAt' | 'doneAt'>;

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
  private readonly agent: Agent;
  private readonly pending = new Set<Promise<void>>();
  private next = 0;

  constructor(private readonly options: LoadOptions) {
    this.agent = options.agent ?? newSenderAgent();
  }

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
    if (!this.options.agent) this.agent.destroy();
  }

  /** Webhooks sent so far, those answered 200, and how many 200s said "spooled": for progress lines. */
  progress(): { sent: number; acknowledged: number; spooled: number } {
    let acknowledged = 0;
    let spooled = 0;
    for (const webhook of this.webhooks) {
      const ok = webhook.attempts.find((attempt) => attempt.status === 200);
      if (ok) acknowledged += 1;
      if (ok?.stored === 'spooled') spooled += 1;
    }
    return { sent: this.webhooks.length, acknowledged, spooled };
  }

  private send(): void {
    const n = (this.options.numberFrom ?? 0) + this.webhooks.length;
    const source = SOURCES[n % SOURCES.length] as Source;
    const connection = this.options.connections().get(source);
    if (!connection) throw new Error(`no connection for ${source}`);
    // Numbered per source, so each source cycles through all of its kinds with ids of their own.
    const sample = sampleWebhook(connection, Math.floor(n / SOURCES.length));
    // randomUUID draws on a pooled entropy buffer: far cheaper per request than randomBytes.
    const traceId = randomUUID().replaceAll('-', '');
    const webhook: MutableWebhook = { traceId, source, attempts: [] };
    this.webhooks.push(webhook);
    const prepared: Prepared = {
      path: sample.path,
      body: sample.body,
      headers: {
        ...sample.headers,
        'content-type': sample.contentType,
        traceparent: `00-${traceId}-${randomUUID().replaceAll('-', '').slice(0, 16)}-01`,
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
    const reply = await this.post(webhook.source, prepared);
    webhook.attempts.push({ sentAt, doneAt: Date.now(), ...reply });
    if (reply.status === 200 || webhook.source !== 'kommo' || this.options.retries === false)
      return;
    const minutes = KOMMO_RETRY_MINUTES[retry];
    if (minutes === undefined) return;
    await new Promise((wait) => setTimeout(wait, minutes * MINUTE_MS * this.options.retryScale));
    await this.attempt(webhook, prepared, retry + 1);
  }

  /** One POST, through the next ingress; a refused connection moves on to the others. */
  private async post(source: Source, prepared: Prepared): Promise<Reply> {
    const first = this.next++;
    let reply: Reply = { status: 0, failure: 'connection' };
    for (let i = 0; i < this.options.ingress.length; i += 1) {
      const base = this.options.ingress[(first + i) % this.options.ingress.length] ?? '';
      const tried = await this.postTo(base, source, prepared);
      reply = tried.reply;
      if (!tried.refused) break;
    }
    return reply;
  }

  private postTo(
    base: string,
    source: Source,
    prepared: Prepared,
  ): Promise<{ reply: Reply; refused: boolean }> {
    return new Promise((resolvePost) => {
      let timedOut = false;
      const settle = (outcome: { reply: Reply; refused: boolean }) => {
        clearTimeout(giveUp);
        resolvePost(outcome);
      };
      const failed = (refused = false) =>
        settle({ reply: { status: 0, failure: timedOut ? 'timeout' : 'connection' }, refused });
      const req = request(
        `${base}${prepared.path}`,
        {
          method: 'POST',
          agent: this.agent,
          headers: { ...prepared.headers, 'content-length': String(prepared.body.length) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            const body = parseIngressReply(Buffer.concat(chunks).toString());
            settle({ reply: { status, ...body }, refused: false });
          });
          res.on('error', () => failed());
        },
      );
      // The sender gives up its reply window after sending (a late 200 is a failure to it),
      // however long the request waited for a socket: not the socket's idle timeout.
      const giveUp = setTimeout(() => {
        timedOut = true;
        req.destroy(new Error('reply window passed'));
      }, SENDER_POLICY[source].replyWindowMs);
      req.on('error', (error: NodeJS.ErrnoException) => failed(error.code === 'ECONNREFUSED'));
      req.end(prepared.body);
    });
  }
}
