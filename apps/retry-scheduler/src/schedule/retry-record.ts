import { FAILURE_HEADERS, REDELIVERY_HEADERS, SCHEDULER_HEADERS } from '@crm/contracts';
import { heldHeader, type ForwardMessage, type HeldRecord } from '@crm/kafka';

/** Headers that describe the failure; none of them goes back to the origin topic except attempt and first-failed-at. */
const DROPPED_ON_RELEASE: ReadonlySet<string> = new Set<string>([
  ...Object.values(FAILURE_HEADERS),
  ...Object.values(SCHEDULER_HEADERS),
  REDELIVERY_HEADERS.targetGroup,
]);

/** The due time of a tier record, if it has a believable one. */
export function dueAt(record: HeldRecord, now: number, maxAheadMs: number): number | undefined {
  const raw = heldHeader(record, FAILURE_HEADERS.dueAt);
  if (raw === undefined || !/^\d{1,16}$/.test(raw)) return undefined;
  const due = Number(raw);
  return due - now > maxAheadMs ? undefined : due;
}

/**
 * The record as it goes back to the group that failed it: same key, value and
 * business headers, on its origin topic and partition, addressed to the origin
 * group only, with the attempt count and first failure time the runtime reads.
 */
export function redelivery(
  record: HeldRecord,
  originTopic: string,
  originGroup: string,
): ForwardMessage {
  const headers: Record<string, Buffer | string> = {};
  for (const [name, value] of Object.entries(record.headers))
    if (!DROPPED_ON_RELEASE.has(name)) headers[name] = value;
  for (const name of [FAILURE_HEADERS.attempt, FAILURE_HEADERS.firstFailedAt]) {
    const value = record.headers[name];
    if (value) headers[name] = value;
  }
  headers[REDELIVERY_HEADERS.targetGroup] = originGroup;
  const partition = Number(heldHeader(record, FAILURE_HEADERS.originPartition));
  return {
    topic: originTopic,
    key: record.key,
    value: record.value,
    headers,
    ...(Number.isInteger(partition) && partition >= 0 ? { partition } : {}),
  };
}

/** The record put back at the tail of its own tier partition, due again at `untilMs`. */
export function requeue(record: HeldRecord, untilMs: number, now: number): ForwardMessage {
  return {
    topic: record.topic,
    partition: record.partition,
    key: record.key,
    value: record.value,
    headers: {
      ...record.headers,
      [FAILURE_HEADERS.dueAt]: String(untilMs),
      [SCHEDULER_HEADERS.breakerHeldAt]: String(now),
    },
  };
}

/** A tier record that names no origin cannot go back anywhere: it is dead-lettered as `malformed`. */
export function malformed(
  record: HeldRecord,
  dlqTopic: string,
  detail: string,
  now: number,
): ForwardMessage {
  return {
    topic: dlqTopic,
    key: record.key,
    value: record.value,
    headers: {
      ...record.headers,
      [FAILURE_HEADERS.dlqReason]: 'malformed',
      [FAILURE_HEADERS.errorCode]: 'malformed',
      [FAILURE_HEADERS.errorMessage]: detail,
      [FAILURE_HEADERS.attempts]: heldHeader(record, FAILURE_HEADERS.attempt) ?? '0',
      [FAILURE_HEADERS.deadLetteredAt]: new Date(now).toISOString(),
    },
  };
}
