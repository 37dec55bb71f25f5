import type { KafkaMessage } from 'kafkajs';

/** A consumed record with every header (control headers included), first value when a header repeats. */
export interface HeldRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Readonly<Record<string, Buffer>>;
  /** Kafka record timestamp, epoch milliseconds. */
  readonly timestamp: string;
}

/** A record to produce; `partition` pins it (otherwise the key decides). */
export interface ForwardMessage {
  readonly topic: string;
  readonly partition?: number;
  readonly key: Buffer | string | null;
  readonly value: Buffer | string | null;
  readonly headers: Readonly<Record<string, Buffer | string>>;
}

export function toHeldRecord(topic: string, partition: number, message: KafkaMessage): HeldRecord {
  const headers: Record<string, Buffer> = {};
  for (const [name, raw] of Object.entries(message.headers ?? {})) {
    const first = Array.isArray(raw) ? raw[0] : raw;
    if (first !== undefined) headers[name] = typeof first === 'string' ? Buffer.from(first) : first;
  }
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key,
    value: message.value,
    headers,
    timestamp: message.timestamp,
  };
}

/** A header as a UTF-8 string. */
export function heldHeader(record: HeldRecord, name: string): string | undefined {
  return record.headers[name]?.toString();
}
