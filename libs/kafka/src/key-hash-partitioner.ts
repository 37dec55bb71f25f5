import { createRequire } from 'node:module';
import { Partitioners, type ICustomPartitioner } from 'kafkajs';

const require = createRequire(import.meta.url);
const murmur2 = require('kafkajs/src/producer/partitioners/default/murmur2') as (
  key: Buffer | string,
) => number;

const MAX_REMEMBERED_KEYS = 10_000;

/**
 * kafkajs's DefaultPartitioner (Java-compatible murmur2 of the key) with the
 * hash of each string key remembered. kafkajs computes murmur2 with BigInt
 * arithmetic and filters the partition list for every message; ingress keys
 * every record by connection id, so the same few keys are hashed thousands of
 * times a second. Same partition for every message (the spec compares with
 * kafkajs's own); messages with an explicit partition, a Buffer key or no key
 * go to the DefaultPartitioner itself. The memory is bounded (cleared when full).
 */
export const KeyHashPartitioner: ICustomPartitioner = () => {
  const fallback = Partitioners.DefaultPartitioner();
  const hashes = new Map<string, number>();
  return (args) => {
    const { message, partitionMetadata } = args;
    const key: unknown = message.key;
    if (message.partition != null || typeof key !== 'string') return fallback(args);
    let hash = hashes.get(key);
    if (hash === undefined) {
      if (hashes.size >= MAX_REMEMBERED_KEYS) hashes.clear();
      hash = murmur2(key) & 0x7fffffff;
      hashes.set(key, hash);
    }
    return hash % partitionMetadata.length;
  };
};
