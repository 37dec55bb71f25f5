import { randomUUID } from 'node:crypto';
import {
  MARKER_HEADERS,
  RAW_HEADERS,
  UNCONFIRMED_MARKER,
  VERIFIED_HEADERS,
  type Source,
} from '@crm/contracts';
import { bodySha256 } from './retry-records.js';

export interface VerifiedMessageOptions {
  readonly source: Source;
  readonly connectionId: string;
  readonly receivedAt?: string;
  /** Ingress's id of the delivery (default: a new one). */
  readonly webhookId?: string;
  readonly traceparent?: string;
  readonly extraHeaders?: Readonly<Record<string, string>>;
}

/**
 * A record as the verifier writes it to `crm.webhooks.verified.<source>.v1`:
 * key = connection id, value = the body bytes, metadata in headers. For
 * tests, benchmarks and tools that feed a normalizer directly.
 */
export function verifiedMessage(body: Buffer | string, options: VerifiedMessageOptions) {
  const now = new Date().toISOString();
  const headers: Record<string, string> = {
    [RAW_HEADERS.webhookId]: options.webhookId ?? randomUUID(),
    [RAW_HEADERS.source]: options.source,
    [RAW_HEADERS.connection]: options.connectionId,
    [RAW_HEADERS.receivedAt]: options.receivedAt ?? now,
    [VERIFIED_HEADERS.verifiedAt]: now,
    ...options.extraHeaders,
  };
  if (options.traceparent) headers[RAW_HEADERS.traceparent] = options.traceparent;
  return {
    key: options.connectionId,
    value: Buffer.isBuffer(body) ? body : Buffer.from(body),
    headers,
  };
}

/**
 * The marker ingress writes behind a delivery it answered non-2xx although it
 * landed (see MARKER_HEADERS), as the verifier forwards it.
 */
export function unconfirmedMarker(
  body: Buffer | string,
  options: VerifiedMessageOptions & { readonly webhookId: string },
) {
  const delivery = verifiedMessage(Buffer.alloc(0), options);
  return {
    ...delivery,
    headers: {
      ...delivery.headers,
      [MARKER_HEADERS.marker]: UNCONFIRMED_MARKER,
      [MARKER_HEADERS.bodySha256]: bodySha256(Buffer.isBuffer(body) ? body : Buffer.from(body)),
    },
  };
}
