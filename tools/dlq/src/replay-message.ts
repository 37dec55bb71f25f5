import { FAILURE_HEADERS, REDELIVERY_HEADERS, SCHEDULER_HEADERS } from '@crm/contracts';
import type { ForwardMessage } from '@crm/kafka';
import type { DeadLetter } from './dead-letter.js';

const NOT_REPLAYED: ReadonlySet<string> = new Set<string>([
  ...Object.values(FAILURE_HEADERS),
  ...Object.values(SCHEDULER_HEADERS),
  ...Object.values(REDELIVERY_HEADERS),
]);

/**
 * The dead letter as it goes back to its origin topic (and partition):
 * same key, value and business headers; none of the failure bookkeeping, so
 * the replay starts with a fresh retry budget; addressed to the group that
 * gave it up when known (without `origin-group`, e.g. a letter a handler
 * wrote itself in an old version, every group on the topic gets it and
 * deduplicates by event id); `replay-of` names the DLQ record.
 */
export function replayMessage(
  letter: DeadLetter,
  dlqTopic: string,
  now: number,
): ForwardMessage | string {
  if (!letter.originTopic) return 'no origin-topic header: cannot tell where it came from';
  const headers: Record<string, Buffer | string> = {};
  for (const [name, value] of Object.entries(letter.record.headers))
    if (!NOT_REPLAYED.has(name)) headers[name] = value;
  if (letter.originGroup) headers[REDELIVERY_HEADERS.targetGroup] = letter.originGroup;
  headers[REDELIVERY_HEADERS.replayOf] =
    `${dlqTopic}:${letter.record.partition}:${letter.record.offset}`;
  headers[REDELIVERY_HEADERS.replayedAt] = new Date(now).toISOString();
  const partition = Number(letter.record.headers[FAILURE_HEADERS.originPartition]?.toString());
  return {
    topic: letter.originTopic,
    key: letter.record.key,
    value: letter.record.value,
    headers,
    ...(Number.isInteger(partition) && partition >= 0 ? { partition } : {}),
  };
}
