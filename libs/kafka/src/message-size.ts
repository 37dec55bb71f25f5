import type { Message } from 'kafkajs';

/** Per-record overhead on the wire (batch framing, varints, timestamps, offsets), rounded up. */
const RECORD_OVERHEAD_BYTES = 64;

/** Approximate bytes a record takes in a produce request: key, value and headers plus framing. */
export function messageSize(message: Pick<Message, 'key' | 'value' | 'headers'>): number {
  let bytes = RECORD_OVERHEAD_BYTES;
  if (message.value) bytes += message.value.length;
  if (message.key) bytes += message.key.length;
  if (message.headers) {
    for (const name in message.headers) {
      const value = message.headers[name];
      bytes +=
        name.length + (typeof value === 'string' || Buffer.isBuffer(value) ? value.length : 16);
    }
  }
  return bytes;
}

/**
 * Splits messages into consecutive chunks of at most `maxBytes` each (a
 * larger single message forms its own chunk). Order is kept, so sending the
 * chunks one after another preserves per-partition order.
 */
export function chunkByBytes<T extends Pick<Message, 'key' | 'value' | 'headers'>>(
  messages: readonly T[],
  maxBytes: number,
): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = messageSize(message);
    if (current.length > 0 && bytes + size > maxBytes) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
