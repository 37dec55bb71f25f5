import { createRequire } from 'node:module';
import { installedKafkajs } from './installed-fast-paths.js';

const require = createRequire(import.meta.url);
const ENCODER = require.resolve('kafkajs/src/protocol/encoder');
/** Every kafkajs module the fast paths replace or that captures a replaced one when it loads. */
const PATCHED = [
  'kafkajs/src/protocol/recordBatch/header/v0',
  'kafkajs/src/protocol/recordBatch/record/v0',
  'kafkajs/src/protocol/recordBatch/record/v0/decoder',
  'kafkajs/src/protocol/recordBatch/v0/decoder',
  'kafkajs/src/protocol/recordBatch/crc32C',
  'kafkajs/src/protocol/recordBatch/v0',
  'kafkajs/src/protocol/requests/produce/v3/request',
  'kafkajs/src/protocol/request',
].map((id) => require.resolve(id));

/**
 * A kafkajs module exactly as shipped: a private copy loaded against the stock
 * Encoder and stock versions of every replaced module, with the replacements
 * put back afterwards. The reference the kafkajs fast-path specs compare bytes with.
 */
export function stockKafkajsModule<T>(id: string): T {
  const { StockEncoder } = installedKafkajs().encoderPool;
  const encoderEntry = require.cache[ENCODER];
  if (!encoderEntry) throw new Error('kafkajs encoder is not loaded');
  const pooled: unknown = encoderEntry.exports;
  const saved = PATCHED.map((path) => require.cache[path]);
  encoderEntry.exports = StockEncoder;
  for (const path of PATCHED) delete require.cache[path];
  try {
    return require(id) as T;
  } finally {
    encoderEntry.exports = pooled;
    PATCHED.forEach((path, index) => {
      const module = saved[index];
      if (module) require.cache[path] = module;
      else delete require.cache[path];
    });
  }
}

export interface StockRecordInput {
  offsetDelta?: number;
  timestampDelta?: number;
  key?: Buffer | string | null;
  value?: Buffer | string | null;
  headers?: Record<string, Buffer | string | (Buffer | string)[]>;
}

/** kafkajs's record encoder as shipped. */
export const stockKafkajsRecordEncoder = () =>
  stockKafkajsModule<(record: StockRecordInput) => { buffer: Buffer }>(
    'kafkajs/src/protocol/recordBatch/record/v0',
  );
