import { REJECTED_HEADERS, VERIFIED_HEADERS, type RejectReason } from '@crm/contracts';
import type { InboundRecord, OutboundMessage } from '@crm/kafka';

/** Our own verdict headers: an input record can never arrive already claiming one. */
const VERDICT_HEADERS: ReadonlySet<string> = new Set<string>([
  ...Object.values(VERIFIED_HEADERS),
  ...Object.values(REJECTED_HEADERS),
]);

const MAX_DETAIL = 300;

/** The record's headers as received, minus any verdict header it should not carry. */
function passThroughHeaders(record: InboundRecord): Record<string, Buffer> {
  const headers: Record<string, Buffer> = {};
  for (const [name, value] of Object.entries(record.headers)) {
    if (value !== undefined && !VERDICT_HEADERS.has(name)) headers[name] = value;
  }
  return headers;
}

/** The same key, value and headers, marked verified. */
export function verifiedRecord(
  record: InboundRecord,
  topic: string,
  secretIndex: number,
  at: Date,
): OutboundMessage {
  return {
    topic,
    key: record.key,
    value: record.value,
    headers: {
      ...passThroughHeaders(record),
      [VERIFIED_HEADERS.verifiedAt]: at.toISOString(),
      [VERIFIED_HEADERS.secretIndex]: String(secretIndex),
    },
  };
}

/** The same key, value and headers, plus why it was rejected (the detail never holds credentials). */
export function rejectedRecord(
  record: InboundRecord,
  topic: string,
  reason: RejectReason,
  detail: string,
  at: Date,
): OutboundMessage {
  return {
    topic,
    key: record.key,
    value: record.value,
    headers: {
      ...passThroughHeaders(record),
      [REJECTED_HEADERS.reason]: reason,
      [REJECTED_HEADERS.detail]: detail.slice(0, MAX_DETAIL),
      [REJECTED_HEADERS.rejectedAt]: at.toISOString(),
    },
  };
}

/** A delivery marker, forwarded as it came: it carries no body to verify (see MARKER_HEADERS). */
export function forwardedMarker(record: InboundRecord, topic: string): OutboundMessage {
  return { topic, key: record.key, value: record.value, headers: passThroughHeaders(record) };
}
