import { createRequire } from 'node:module';
import { sep } from 'node:path';
import { packageRoot } from '../installed-version.js';

const require = createRequire(import.meta.url);

/** The kafkajs 2.2.4 modules the fast paths replace or read. */
export const KAFKAJS_MODULES = {
  encoder: 'kafkajs/src/protocol/encoder',
  header: 'kafkajs/src/protocol/recordBatch/header/v0',
  crc32c: 'kafkajs/src/protocol/recordBatch/crc32C',
  record: 'kafkajs/src/protocol/recordBatch/record/v0',
  recordDecoder: 'kafkajs/src/protocol/recordBatch/record/v0/decoder',
  produceRequest: 'kafkajs/src/protocol/requests/produce/v3/request',
  framing: 'kafkajs/src/protocol/request',
  decoder: 'kafkajs/src/protocol/decoder',
  long: 'kafkajs/src/utils/long',
  timestampTypes: 'kafkajs/src/protocol/timestampTypes',
} as const;

/** Loads a kafkajs module through the shared CommonJS cache, where kafkajs itself will find it. */
export function loadKafkajsModule(id: string): unknown {
  return require(id);
}

/** Makes every later `require(id)` inside kafkajs return `replacement`. */
export function replaceKafkajsModule(id: string, stock: unknown, replacement: unknown): void {
  const entry = require.cache[require.resolve(id)];
  // Only right after loadKafkajsModule(id) returned `stock`: anything else is a bug here.
  if (!entry || entry.exports !== stock)
    throw new Error(`${id} changed while it was being replaced`);
  entry.exports = replacement;
}

/** kafkajs files already in the module cache: each has captured the modules it required. */
export function loadedKafkajsFiles(): string[] {
  const root = packageRoot('kafkajs');
  if (root === undefined) return [];
  return Object.keys(require.cache).filter((file) => file.startsWith(root + sep));
}
