import {
  DEAD_LETTER_REF_HEADERS,
  FAILURE_HEADERS,
  REDELIVERY_HEADERS,
  SCHEDULER_HEADERS,
} from '@crm/contracts';
import type { ForwardMessage, HeldRecord } from '@crm/kafka';
import { originalCoordinates, type DeadLetter } from './dead-letter.js';

const NOT_REPLAYED: ReadonlySet<string> = new Set<string>([
  ...Object.values(FAILURE_HEADERS),
  ...Object.values(SCHEDULER_HEADERS),
  ...Object.values(REDELIVERY_HEADERS),
  ...Object.values(DEAD_LETTER_REF_HEADERS),
]);

/**
 * The dead letter as it goes back to its origin topic (and partition):
 * same key, value and business headers; none of the failure bookkeeping, so
 * the replay starts with a fresh retry budget; addressed to the group that
 * gave it up when known (without `origin-group`, e.g. a letter a handler
 * wrote itself in an old version, every group on the topic gets it and
 * deduplicates by event id); `replay-of` names the DLQ record.
 * A letter written by reference carries only an excerpt: its key, value and
 * business headers come from `original`, the record read back from the
 * origin topic (a string when it is missing).
 */
export function replayMessage(
  letter: DeadLetter,
  dlqTopic: string,
  now: number,
  original?: HeldRecord,
): ForwardMessage | string {
  if (!letter.originTopic) return 'no origin-topic header: cannot tell where it came from';
  if (letter.original && (letter.original.partition === undefined || !letter.original.offset))
    return 'written by reference without origin-partition/origin-offset: cannot find the original';
  if (letter.original && !original)
    return `original ${originalCoordinates(letter.original)} is no longer in the topic`;
  const source = letter.original && original ? original : letter.record;
  const headers: Record<string, Buffer | string> = {};
  for (const [name, value] of Object.entries(source.headers))
    if (!NOT_REPLAYED.has(name)) headers[name] = value;
  if (letter.originGroup) headers[REDELIVERY_HEADERS.targetGroup] = letter.originGroup;
  headers[REDELIVERY_HEADERS.replayOf] =
    `${dlqTopic}:${letter.record.partition}:${letter.record.offset}`;
  headers[REDELIVERY_HEADERS.replayedAt] = new Date(now).toISOString();
  const partition = Number(letter.record.headers[FAILURE_HEADERS.originPartition]?.toString());
  return {
    topic: letter.originTopic,
    key: source.key,
    value: source.value,
    headers,
    ...(Number.isInteger(partition) && partition >= 0 ? { partition } : {}),
  };
}
