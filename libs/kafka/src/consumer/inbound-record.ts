import type { KafkaMessage } from 'kafkajs';
import { FAILURE_HEADERS, REDELIVERY_HEADERS } from '@crm/contracts';

export interface InboundRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** Business headers (first value when a header repeats); the runtime's control headers are removed. */
  readonly headers: Readonly<Record<string, Buffer | undefined>>;
  /** Kafka record timestamp, epoch milliseconds. */
  readonly timestamp: string;
}

export interface OutboundMessage {
  readonly topic: string;
  readonly key: string | Buffer | null;
  readonly value: Buffer | string | null;
  readonly headers?: Readonly<Record<string, string | Buffer>>;
}

/** What a handler returns: the records to publish for one input record. */
export type HandlerResult =
  | void
  | readonly OutboundMessage[]
  | {
      readonly messages: readonly OutboundMessage[];
      /** Runs once these messages are acknowledged by the broker. */
      readonly onPublished?: () => void;
      /** Runs if they were not (the input will be delivered again). */
      readonly onAborted?: () => void;
    };

/** Headers the runtime owns: retry bookkeeping and redelivery routing. Handlers never see them. */
export const CONTROL_HEADERS: ReadonlySet<string> = new Set<string>([
  ...Object.values(FAILURE_HEADERS),
  REDELIVERY_HEADERS.targetGroup,
]);

function firstValue(value: Buffer | string | (Buffer | string)[] | undefined): Buffer | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined) return undefined;
  return typeof first === 'string' ? Buffer.from(first) : first;
}

/** Splits a consumed message into the handler's view and the runtime's control headers. */
export function toInbound(
  topic: string,
  partition: number,
  message: KafkaMessage,
): { record: InboundRecord; control: Map<string, string> } {
  const headers: Record<string, Buffer | undefined> = {};
  const control = new Map<string, string>();
  for (const [name, raw] of Object.entries(message.headers ?? {})) {
    const value = firstValue(raw);
    if (CONTROL_HEADERS.has(name)) {
      if (value) control.set(name, value.toString());
    } else {
      headers[name] = value;
    }
  }
  const record: InboundRecord = {
    topic,
    partition,
    offset: message.offset,
    key: message.key,
    value: message.value,
    headers,
    timestamp: message.timestamp,
  };
  return { record, control };
}

/** A header as a UTF-8 string. */
export function header(record: InboundRecord, name: string): string | undefined {
  return record.headers[name]?.toString();
}

export function normalizeResult(result: HandlerResult): {
  messages: readonly OutboundMessage[];
  onPublished?: () => void;
  onAborted?: () => void;
} {
  if (result === undefined) return { messages: [] };
  if (Array.isArray(result)) return { messages: result as readonly OutboundMessage[] };
  return result as Exclude<HandlerResult, void | readonly OutboundMessage[]>;
}
