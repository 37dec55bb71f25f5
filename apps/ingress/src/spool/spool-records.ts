import { RAW_HEADERS } from '@crm/contracts';
import type { Message } from '@crm/kafka';
import type { SpoolRecord, SpooledRecord } from '@crm/spool';

/**
 * A raw record as the spool keeps it: the same key, value and headers, so the
 * record forwarded later is the record Kafka would have had (same
 * `webhook-id`: the pipeline's dedup sees one delivery if both land).
 */
export function toSpoolRecord(message: Message): SpoolRecord {
  const headers: Record<string, Buffer | string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (typeof value === 'string' || Buffer.isBuffer(value)) headers[name] = value;
    else if (Array.isArray(value) && value[0] !== undefined) headers[name] = value[0];
  }
  return { key: bytes(message.key), value: bytes(message.value), headers };
}

/** The record to send when forwarding: as received, plus `spooled-at`. */
export function forwardedMessage(record: SpooledRecord): Message {
  return {
    key: record.key,
    value: record.value,
    headers: {
      ...record.headers,
      [RAW_HEADERS.spooledAt]: new Date(record.appendedAtMs).toISOString(),
    },
  };
}

export function webhookIdOf(record: { readonly headers?: Message['headers'] }): string | undefined {
  const value = record.headers?.[RAW_HEADERS.webhookId];
  if (typeof value === 'string') return value;
  return Buffer.isBuffer(value) ? value.toString() : undefined;
}

function bytes(value: Buffer | string | null | undefined): Buffer | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? Buffer.from(value) : value;
}
