import { RAW_HEADERS, type Source } from '@crm/contracts';
import type { Message } from '@crm/kafka';
import { splitQueryToken, type SplitQuery } from './query-token.js';
import { signatureValue } from './signature-header.js';
import { childTraceContext } from './trace-context.js';

/** The header that carries each signed source's body signature. */
export const SIGNATURE_HEADERS: Partial<Record<Source, string>> = {
  'kommo-chat': 'x-signature',
  pipeliner: 'webhook-signature',
};

export interface ReceivedWebhook {
  readonly webhookId: string;
  readonly source: Source;
  readonly connectionId: string;
  readonly receivedAtMs: number;
  /** The raw query string (no leading `?`), token included. */
  readonly query: string;
  /** Request headers, lower-case names (Node's IncomingHttpHeaders). */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly clientIp: string;
  readonly body: Buffer;
  /** splitQueryToken(query), when the caller already has it. */
  readonly split?: SplitQuery;
}

/**
 * The `crm.webhooks.raw.v1` record for one request: key = connection id,
 * value = the body bytes untouched, metadata in headers. For token sources the
 * token is replaced by its SHA-256; signatures are copied as received (a
 * header repeated with the same value once).
 */
export function buildRawRecord(webhook: ReceivedWebhook): Message {
  const headers: Record<string, string> = {
    [RAW_HEADERS.webhookId]: webhook.webhookId,
    [RAW_HEADERS.source]: webhook.source,
    [RAW_HEADERS.connection]: webhook.connectionId,
    [RAW_HEADERS.receivedAt]: isoTime(webhook.receivedAtMs),
    [RAW_HEADERS.clientIp]: webhook.clientIp,
  };
  set(headers, RAW_HEADERS.contentType, webhook.headers['content-type']);
  set(headers, RAW_HEADERS.userAgent, webhook.headers['user-agent']);
  const signatureHeader = SIGNATURE_HEADERS[webhook.source];
  if (signatureHeader)
    set(headers, RAW_HEADERS.signature, signatureValue(webhook.headers[signatureHeader]));

  const { rest, tokenSha256 } = webhook.split ?? splitQueryToken(webhook.query);
  set(headers, RAW_HEADERS.query, rest);
  if (webhook.source === 'kommo' || webhook.source === 'amocrm')
    set(headers, RAW_HEADERS.tokenSha256, tokenSha256);

  const trace = childTraceContext(
    single(webhook.headers['traceparent']),
    single(webhook.headers['tracestate']),
  );
  headers[RAW_HEADERS.traceparent] = trace.traceparent;
  set(headers, RAW_HEADERS.tracestate, trace.tracestate);

  return {
    key: webhook.connectionId,
    value: webhook.body,
    headers,
    timestamp: String(webhook.receivedAtMs),
  };
}

/** Sets a header from a request header's first value, unless absent or empty. */
function set(
  headers: Record<string, string>,
  name: string,
  value: string | string[] | undefined,
): void {
  const text = Array.isArray(value) ? value[0] : value;
  if (text !== undefined && text !== '') headers[name] = text;
}

// Thousands of requests a second share a millisecond: format each millisecond once.
let isoMs = Number.NaN;
let iso = '';
function isoTime(ms: number): string {
  if (ms !== isoMs) {
    iso = new Date(ms).toISOString();
    isoMs = ms;
  }
  return iso;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
