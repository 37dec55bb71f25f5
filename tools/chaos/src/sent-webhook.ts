import type { Source } from '@crm/contracts';
import type { StoredIn } from './ingress-reply.js';

/** One HTTP attempt of a webhook, as the sender saw it. */
export interface Attempt {
  /** Epoch ms the request was sent. */
  readonly sentAt: number;
  /** Epoch ms the reply (or the failure) came. */
  readonly doneAt: number;
  /** HTTP status, or 0 when no reply came (see `failure`). */
  readonly status: number;
  /** The webhook id ingress answered with. */
  readonly webhookId?: string;
  /** For a 200: where ingress made the webhook durable, as its reply body says. */
  readonly stored?: StoredIn;
  /**
   * Why no reply came: the connection failed (refused by every ingress, reset),
   * or the sender's reply window passed first and it gave up.
   */
  readonly failure?: 'connection' | 'timeout';
}

/** One webhook as its sender knows it: the same body, retried or not. */
export interface SentWebhook {
  /** The W3C trace id the sender put in `traceparent`: events carry it back. */
  readonly traceId: string;
  readonly source: Source;
  readonly attempts: readonly Attempt[];
}
