import { Partitioners, type ICustomPartitioner } from 'kafkajs';

const SEED = 0x9747b28c;
const M = 0x5bd1e995;
/** Keys up to this many UTF-8 bytes are hashed from one reused buffer (no allocation). */
const SCRATCH = Buffer.allocUnsafe(1024);

/**
 * Kafka's murmur2 (org.apache.kafka.common.utils.Utils#murmur2), in 32-bit
 * integer arithmetic. kafkajs computes it with its 64-bit Long emulation,
 * allocating several objects per 4 key bytes; only the low 32 bits of that
 * matter, so both give the same hash (the spec compares them).
 */
export function murmur2(data: Uint8Array, length = data.length): number {
  let h = (SEED ^ length) | 0;
  const length4 = length & ~3;
  for (let i = 0; i < length4; i += 4) {
    let k = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  const rest = length & 3;
  if (rest > 0) {
    if (rest === 3) h ^= data[length4 + 2]! << 16;
    if (rest >= 2) h ^= data[length4 + 1]! << 8;
    h ^= data[length4]!;
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h;
}

/** murmur2 of a string's UTF-8 bytes, as kafkajs hashes a string key. */
export function murmur2String(key: string): number {
  // At most 3 UTF-8 bytes per UTF-16 unit: a key this short always fits the scratch buffer.
  if (key.length * 3 <= SCRATCH.length) return murmur2(SCRATCH, SCRATCH.write(key, 0, 'utf8'));
  return murmur2(Buffer.from(key, 'utf8'));
}

/**
 * kafkajs's DefaultPartitioner (Java-compatible murmur2 of the key), hashing
 * in 32-bit arithmetic instead of kafkajs's Long emulation: normalizers key
 * every event by its entity, so nearly every key is new and hashed once. Same
 * partition for every message (the spec compares with kafkajs's own); messages
 * with an explicit partition or no key (or a key neither string nor Buffer)
 * go to the DefaultPartitioner itself.
 */
export const KeyHashPartitioner: ICustomPartitioner = () => {
  const fallback = Partitioners.DefaultPartitioner();
  return (args) => {
    const { message, partitionMetadata } = args;
    const key: unknown = message.key;
    if (message.partition != null) return fallback(args);
    let hash: number;
    if (typeof key === 'string') hash = murmur2String(key);
    else if (Buffer.isBuffer(key)) hash = murmur2(key);
    else return fallback(args);
    return (hash & 0x7fffffff) % partitionMetadata.length;
  };
};
