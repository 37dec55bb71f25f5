import { randomUUID } from 'node:crypto';
import { RAW_HEADERS, VERIFIED_HEADERS, type Source } from '@crm/contracts';

export interface VerifiedMessageOptions {
  readonly source: Source;
  readonly connectionId: string;
  readonly receivedAt?: string;
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
    [RAW_HEADERS.webhookId]: randomUUID(),
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
