import {
  DEAD_LETTER_EXCERPT,
  DEAD_LETTER_EXCERPT_BYTES,
  DEAD_LETTER_ITEMS_LISTED,
  DEAD_LETTER_REF_HEADERS,
  FAILURE_HEADERS,
  TOPICS,
} from '@crm/contracts';
import type { InboundRecord, OutboundMessage } from './inbound-record.js';

/** One failing item of a delivery, as listed in `dlq-items`. */
export interface DeadItem {
  /** Where the item sits in the body, e.g. `leads.status.0` or `[3]`. */
  readonly item: string;
  readonly reason: string;
  readonly detail: string;
}

/** Why one delivery is dead-lettered by reference. */
export interface ReferenceFailure {
  readonly reason: string;
  /** Goes to `error-message`. */
  readonly detail: string;
  /** Failing items (or, for `too_many_items`, the items the body had). */
  readonly itemCount: number;
  readonly items: readonly DeadItem[];
}

export const DEAD_ITEM_REF_CHARS = 100;
export const DEAD_ITEM_DETAIL_CHARS = 200;
/** Upper bound of the `dlq-items` header in UTF-8 bytes. */
export const DEAD_ITEMS_HEADER_BYTES = 4096;
const MAX_ERROR_MESSAGE = 500;

function cut(text: string, chars: number): string {
  return text.length <= chars ? text : `${text.slice(0, chars - 1)}…`;
}

/**
 * The `dlq-items` header: the first failing items, each cut short, as many as
 * fit in DEAD_ITEMS_HEADER_BYTES, never more than DEAD_LETTER_ITEMS_LISTED.
 */
export function listDeadItems(items: readonly DeadItem[]): string {
  const entries: string[] = [];
  let bytes = 2; // the brackets
  for (const { item, reason, detail } of items.slice(0, DEAD_LETTER_ITEMS_LISTED)) {
    const entry = JSON.stringify({
      item: cut(item, DEAD_ITEM_REF_CHARS),
      reason: cut(reason, DEAD_ITEM_REF_CHARS),
      detail: cut(detail, DEAD_ITEM_DETAIL_CHARS),
    });
    const size = Buffer.byteLength(entry) + (entries.length > 0 ? 1 : 0);
    if (bytes + size > DEAD_ITEMS_HEADER_BYTES) break;
    entries.push(entry);
    bytes += size;
  }
  return `[${entries.join(',')}]`;
}

/** The failure of a delivery's failing items: the reason they share, else the first one's. */
export function itemsFailure(items: readonly DeadItem[]): ReferenceFailure {
  const first = items[0];
  if (!first) throw new Error('itemsFailure needs at least one item');
  const shared = items.every((item) => item.reason === first.reason);
  const count = items.length;
  return {
    reason: first.reason,
    detail: `${count} item${count === 1 ? '' : 's'} failed${shared ? '' : ' (reasons differ)'}; first: ${first.item}: ${first.detail}`,
    itemCount: count,
    items,
  };
}

function businessHeaders(record: InboundRecord): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const [name, value] of Object.entries(record.headers))
    if (value !== undefined) out[name] = value;
  return out;
}

/**
 * One dead letter for a delivery whose items failed, by reference: its value
 * is the first DEAD_LETTER_EXCERPT_BYTES of the body, and the original stays at
 * `origin-topic`/`origin-partition`/`origin-offset`. Its size is bounded by
 * the record's business headers plus a few KB, whatever the number of items.
 * The runtime fills in the consumer group and routes it to its DLQ topic.
 */
export function deadLetterByReference(
  record: InboundRecord,
  failure: ReferenceFailure,
  now: number = Date.now(),
): OutboundMessage {
  const value = record.value ?? Buffer.alloc(0);
  return {
    topic: TOPICS.dlq,
    key: record.key,
    value: value.subarray(0, DEAD_LETTER_EXCERPT_BYTES),
    headers: {
      ...businessHeaders(record),
      [FAILURE_HEADERS.originTopic]: record.topic,
      [FAILURE_HEADERS.originPartition]: String(record.partition),
      [FAILURE_HEADERS.originOffset]: record.offset,
      [FAILURE_HEADERS.dlqReason]: failure.reason,
      [FAILURE_HEADERS.errorCode]: failure.reason,
      [FAILURE_HEADERS.errorMessage]: cut(failure.detail, MAX_ERROR_MESSAGE),
      [FAILURE_HEADERS.attempts]: '1',
      [FAILURE_HEADERS.deadLetteredAt]: new Date(now).toISOString(),
      [DEAD_LETTER_REF_HEADERS.value]: DEAD_LETTER_EXCERPT,
      [DEAD_LETTER_REF_HEADERS.originalBytes]: String(value.length),
      [DEAD_LETTER_REF_HEADERS.itemCount]: String(failure.itemCount),
      [DEAD_LETTER_REF_HEADERS.items]: listDeadItems(failure.items),
    },
  };
}

/** Bytes a record takes in the log apart from framing: value plus header names and values. */
export function recordBytes(message: Pick<OutboundMessage, 'value' | 'headers'>): number {
  let bytes = message.value ? Buffer.byteLength(message.value) : 0;
  for (const [name, value] of Object.entries(message.headers ?? {}))
    bytes += Buffer.byteLength(name) + Buffer.byteLength(value);
  return bytes;
}
