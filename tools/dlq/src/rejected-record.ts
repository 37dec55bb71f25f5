import {
  RAW_HEADERS,
  REDELIVERY_HEADERS,
  REJECTED_HEADERS,
  type RejectReason,
} from '@crm/contracts';
import { heldHeader, type ForwardMessage, type HeldRecord } from '@crm/kafka';

/** What `reverify` chooses by: a rejected record's connection, reason and time. */
export interface ReverifySelection {
  readonly connection: string;
  /** Epoch ms, inclusive, on `rejected-at`. */
  readonly since: number;
  readonly reasons: readonly RejectReason[];
}

/** `rejected-at` as epoch ms, else the record timestamp. */
export function rejectedAt(record: HeldRecord): number {
  const stamped = Date.parse(heldHeader(record, REJECTED_HEADERS.rejectedAt) ?? '');
  return Number.isFinite(stamped) ? stamped : Number(record.timestamp);
}

export function isSelected(record: HeldRecord, selection: ReverifySelection): boolean {
  const reason = heldHeader(record, REJECTED_HEADERS.reason) ?? '';
  return (
    heldHeader(record, RAW_HEADERS.connection) === selection.connection &&
    selection.reasons.some((picked) => picked === reason) &&
    rejectedAt(record) >= selection.since
  );
}

const NOT_RESENT: ReadonlySet<string> = new Set<string>([
  ...Object.values(REJECTED_HEADERS),
  REDELIVERY_HEADERS.replayOf,
  REDELIVERY_HEADERS.replayedAt,
]);

/**
 * The rejected record as it goes back to the raw topic: the key, value and
 * headers ingress wrote (webhook-id included, so its events get the ids of
 * any earlier attempt), without the verifier's reject headers; `replay-of`
 * names the rejected record. The key picks the partition, as at ingress.
 */
export function reverifyMessage(record: HeldRecord, rawTopic: string, now: number): ForwardMessage {
  const headers: Record<string, Buffer | string> = {};
  for (const [name, value] of Object.entries(record.headers))
    if (!NOT_RESENT.has(name)) headers[name] = value;
  headers[REDELIVERY_HEADERS.replayOf] = `${record.topic}:${record.partition}:${record.offset}`;
  headers[REDELIVERY_HEADERS.replayedAt] = new Date(now).toISOString();
  return { topic: rawTopic, key: record.key, value: record.value, headers };
}
