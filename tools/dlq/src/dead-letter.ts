import {
  DEAD_LETTER_EXCERPT,
  DEAD_LETTER_REF_HEADERS,
  FAILURE_HEADERS,
  RAW_HEADERS,
  REDELIVERY_HEADERS,
} from '@crm/contracts';
import { heldHeader, type HeldRecord } from '@crm/kafka';

/** A DLQ record as the operator sees it. */
export interface DeadLetter {
  /** `partition:offset` in the DLQ topic: what `inspect` and `replay` take. */
  readonly id: string;
  readonly record: HeldRecord;
  readonly reason: string;
  readonly source: string | undefined;
  readonly connection: string | undefined;
  readonly originTopic: string | undefined;
  readonly originGroup: string | undefined;
  readonly attempts: string | undefined;
  readonly errorCode: string | undefined;
  readonly errorMessage: string | undefined;
  /** Epoch ms: the dead-lettered-at header, else the record timestamp. */
  readonly deadLetteredAt: number;
  /** Set when this dead letter is itself a replay that failed again. */
  readonly replayOf: string | undefined;
  /**
   * Set for a letter written by reference (`dlq-value: excerpt`): its value is
   * only the first bytes; the original is this record of the origin topic.
   */
  readonly original: OriginalRef | undefined;
  /** `dlq-item-count`: how many items of the delivery failed. */
  readonly itemCount: number | undefined;
}

/** Where the original record of a by-reference dead letter is. */
export interface OriginalRef {
  readonly topic: string | undefined;
  readonly partition: number | undefined;
  readonly offset: string | undefined;
  /** `dlq-original-bytes`. */
  readonly bytes: number | undefined;
}

/** `topic:partition:offset` of the original, `?` for what the headers do not say. */
export function originalCoordinates(ref: OriginalRef): string {
  return `${ref.topic ?? '?'}:${ref.partition ?? '?'}:${ref.offset ?? '?'}`;
}

function integerHeader(record: HeldRecord, name: string): number | undefined {
  const text = heldHeader(record, name);
  const value = Number(text);
  return text !== undefined && /^\d+$/.test(text) && Number.isSafeInteger(value)
    ? value
    : undefined;
}

function originalRef(record: HeldRecord): OriginalRef | undefined {
  if (heldHeader(record, DEAD_LETTER_REF_HEADERS.value) !== DEAD_LETTER_EXCERPT) return undefined;
  const offset = heldHeader(record, FAILURE_HEADERS.originOffset);
  return {
    topic: heldHeader(record, FAILURE_HEADERS.originTopic),
    partition: integerHeader(record, FAILURE_HEADERS.originPartition),
    offset: offset !== undefined && /^\d+$/.test(offset) ? offset : undefined,
    bytes: integerHeader(record, DEAD_LETTER_REF_HEADERS.originalBytes),
  };
}

/** `dlq-items` parsed; the header text as is when it is not JSON. */
export function failingItems(letter: DeadLetter): unknown {
  const text = heldHeader(letter.record, DEAD_LETTER_REF_HEADERS.items);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function toDeadLetter(record: HeldRecord): DeadLetter {
  const stamped = Date.parse(heldHeader(record, FAILURE_HEADERS.deadLetteredAt) ?? '');
  return {
    id: `${record.partition}:${record.offset}`,
    record,
    reason: heldHeader(record, FAILURE_HEADERS.dlqReason) ?? 'unknown',
    source: heldHeader(record, RAW_HEADERS.source),
    connection: heldHeader(record, RAW_HEADERS.connection),
    originTopic: heldHeader(record, FAILURE_HEADERS.originTopic),
    originGroup: heldHeader(record, FAILURE_HEADERS.originGroup),
    attempts: heldHeader(record, FAILURE_HEADERS.attempts),
    errorCode: heldHeader(record, FAILURE_HEADERS.errorCode),
    errorMessage: heldHeader(record, FAILURE_HEADERS.errorMessage),
    deadLetteredAt: Number.isFinite(stamped) ? stamped : Number(record.timestamp),
    replayOf: heldHeader(record, REDELIVERY_HEADERS.replayOf),
    original: originalRef(record),
    itemCount: integerHeader(record, DEAD_LETTER_REF_HEADERS.itemCount),
  };
}

export interface DeadLetterFilter {
  readonly reason?: string;
  readonly source?: string;
  readonly connection?: string;
  readonly originGroup?: string;
  /** Epoch ms, inclusive. */
  readonly since?: number;
  /** Epoch ms, exclusive. */
  readonly until?: number;
}

export function matches(letter: DeadLetter, filter: DeadLetterFilter): boolean {
  if (filter.reason !== undefined && letter.reason !== filter.reason) return false;
  if (filter.source !== undefined && letter.source !== filter.source) return false;
  if (filter.connection !== undefined && letter.connection !== filter.connection) return false;
  if (filter.originGroup !== undefined && letter.originGroup !== filter.originGroup) return false;
  if (filter.since !== undefined && letter.deadLetteredAt < filter.since) return false;
  if (filter.until !== undefined && letter.deadLetteredAt >= filter.until) return false;
  return true;
}

/** One line of `list`. */
export function summaryLine(letter: DeadLetter): string {
  return [
    letter.id.padEnd(10),
    new Date(letter.deadLetteredAt).toISOString(),
    letter.reason,
    `${letter.source ?? '-'}/${letter.connection ?? '-'}`,
    `${letter.originGroup ?? '?'}@${letter.originTopic ?? '?'}`,
    `attempts=${letter.attempts ?? '?'}`,
    letter.itemCount === undefined ? '' : `items=${letter.itemCount}`,
    letter.original ? 'by-reference' : '',
    letter.replayOf ? `replay-of=${letter.replayOf}` : '',
    JSON.stringify(letter.errorMessage ?? ''),
  ]
    .filter((part) => part !== '')
    .join('  ');
}

/** Everything about one dead letter; the value as text when it is UTF-8, else base64. */
export function inspection(letter: DeadLetter): Record<string, unknown> {
  const { record } = letter;
  const headers = Object.fromEntries(
    Object.entries(record.headers).map(([name, value]) => [name, value.toString()]),
  );
  const text = record.value?.toString('utf8');
  const isText =
    text !== undefined && Buffer.from(text, 'utf8').equals(record.value ?? Buffer.alloc(0));
  return {
    id: letter.id,
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
    timestamp: new Date(Number(record.timestamp)).toISOString(),
    key: record.key?.toString() ?? null,
    headers,
    value: record.value === null ? null : isText ? text : record.value.toString('base64'),
    valueEncoding: record.value === null ? undefined : isText ? 'utf8' : 'base64',
    ...(letter.original && {
      valueIsExcerpt: `the value is only the first ${record.value?.length ?? 0} of ${letter.original.bytes ?? '?'} bytes; the original is ${originalCoordinates(letter.original)} (replay reads it from there)`,
    }),
    ...(letter.itemCount !== undefined && { itemCount: letter.itemCount }),
    ...(failingItems(letter) !== undefined && { items: failingItems(letter) }),
  };
}
