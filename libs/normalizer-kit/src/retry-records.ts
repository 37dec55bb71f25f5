import { createHash } from 'node:crypto';
import {
  MARKER_HEADERS,
  RAW_HEADERS,
  RETRY_RECORD_HEADERS,
  type RetryRecordKind,
} from '@crm/contracts';
import type { OutboundMessage } from '@crm/kafka';
import type { DeliveryMeta } from './canonical-event.js';

export function bodySha256(body: Buffer): string {
  return createHash('sha256').update(body).digest('hex');
}

/** What a record of `crm.webhooks.retries.v1` says about one delivery. */
export interface RetryNote {
  readonly kind: RetryRecordKind;
  readonly meta: DeliveryMeta & { readonly webhookId: string };
  readonly bodySha256: string;
  /** `unconfirmed`: until when its retry is expected. */
  readonly expiresAt?: number;
  /** `suppressed`: the unconfirmed delivery it was the retry of. */
  readonly retryOf?: string;
}

/** The record that notes an unconfirmed delivery or a suppressed retry (empty value). */
export function retryRecord(topic: string, note: RetryNote): OutboundMessage {
  const { meta } = note;
  const headers: Record<string, string> = {
    [RETRY_RECORD_HEADERS.kind]: note.kind,
    [RAW_HEADERS.webhookId]: meta.webhookId,
    [RAW_HEADERS.source]: meta.source,
    [RAW_HEADERS.connection]: meta.connectionId,
    [RAW_HEADERS.receivedAt]: meta.receivedAt,
    [MARKER_HEADERS.bodySha256]: note.bodySha256,
  };
  if (note.expiresAt !== undefined)
    headers[RETRY_RECORD_HEADERS.expiresAt] = new Date(note.expiresAt).toISOString();
  if (note.retryOf !== undefined) headers[RETRY_RECORD_HEADERS.retryOf] = note.retryOf;
  return { topic, key: meta.connectionId, value: Buffer.alloc(0), headers };
}
