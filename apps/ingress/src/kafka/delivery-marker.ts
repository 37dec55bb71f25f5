import { createHash } from 'node:crypto';
import { MARKER_HEADERS, RAW_HEADERS, UNCONFIRMED_MARKER } from '@crm/contracts';
import type { Message } from '@crm/kafka';

const COPIED = [
  RAW_HEADERS.webhookId,
  RAW_HEADERS.source,
  RAW_HEADERS.connection,
  RAW_HEADERS.receivedAt,
];

/**
 * The marker that follows a raw record which landed after its sender was told
 * 503 (see MARKER_HEADERS): same key, so the same partition, behind it; an
 * empty value; the record's identity and the digest of its body.
 */
export function unconfirmedMarker(record: Message): Message {
  const source = (record.headers ?? {}) as Readonly<Record<string, unknown>>;
  const headers: Record<string, string> = {};
  for (const name of COPIED) {
    const value = source[name];
    if (typeof value === 'string') headers[name] = value;
  }
  headers[MARKER_HEADERS.marker] = UNCONFIRMED_MARKER;
  const body = record.value;
  headers[MARKER_HEADERS.bodySha256] = createHash('sha256')
    .update(Buffer.isBuffer(body) ? body : Buffer.from(body ?? ''))
    .digest('hex');
  return { key: record.key ?? null, value: Buffer.alloc(0), headers };
}
