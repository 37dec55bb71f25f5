/** Where ingress made a webhook durable before it answered 200. */
export type StoredIn = 'kafka' | 'spooled';

/** What a sender learns from an ingress reply body (`{"status":"stored","stored":"spooled","id":"…"}`). */
export interface IngressReply {
  /** The webhook id ingress assigned: the raw record's `webhook-id` header. */
  readonly webhookId?: string;
  readonly stored?: StoredIn;
}

/** Reads the fields of an ingress reply body; anything missing or not JSON is left out. */
export function parseIngressReply(body: string): IngressReply {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return {};
  }
  if (typeof parsed !== 'object' || parsed === null) return {};
  const { id, stored } = parsed as { id?: unknown; stored?: unknown };
  return {
    ...(typeof id === 'string' && id !== '' && { webhookId: id }),
    ...((stored === 'kafka' || stored === 'spooled') && { stored }),
  };
}
