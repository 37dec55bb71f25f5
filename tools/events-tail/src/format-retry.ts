import { MARKER_HEADERS, RAW_HEADERS, RETRY_RECORD_HEADERS } from '@crm/contracts';
import type { TailRecord } from './format-event.js';

function text(record: TailRecord, name: string): string {
  return record.headers[name]?.toString() ?? '';
}

/** The fields of a `crm.webhooks.retries.v1` record, for `--suppressed --json`. */
export interface RetryFields {
  readonly kind: string;
  readonly webhookId: string;
  readonly source: string;
  readonly connection: string;
  readonly receivedAt: string;
  readonly bodySha256: string;
  readonly retryOf?: string;
  readonly expiresAt?: string;
}

export function retryFields(record: TailRecord): RetryFields {
  return {
    kind: text(record, RETRY_RECORD_HEADERS.kind),
    webhookId: text(record, RAW_HEADERS.webhookId),
    source: text(record, RAW_HEADERS.source),
    connection: text(record, RAW_HEADERS.connection),
    receivedAt: text(record, RAW_HEADERS.receivedAt),
    bodySha256: text(record, MARKER_HEADERS.bodySha256),
    ...(record.headers[RETRY_RECORD_HEADERS.retryOf] && {
      retryOf: text(record, RETRY_RECORD_HEADERS.retryOf),
    }),
    ...(record.headers[RETRY_RECORD_HEADERS.expiresAt] && {
      expiresAt: text(record, RETRY_RECORD_HEADERS.expiresAt),
    }),
  };
}

/**
 * One line per record: a delivery answered non-2xx that landed (`unconfirmed`,
 * with until when its retry is expected) or a sender's retry that was dropped
 * (`suppressed`, with the delivery it repeated).
 */
export function formatRetryRecord(record: TailRecord): string {
  const fields = retryFields(record);
  const where = `${fields.source}/${fields.connection}`;
  const detail =
    fields.kind === 'suppressed'
      ? `retry of ${fields.retryOf ?? '?'} dropped`
      : `answered non-2xx, landed; retry expected until ${fields.expiresAt ?? '?'}`;
  return `${fields.receivedAt}  ${fields.kind.padEnd(11)}  ${where}  webhook ${fields.webhookId}  ${detail}\n`;
}
