import { readFileSync, readdirSync } from 'node:fs';
import { measureNormalizer } from '@crm/normalizer-kit';
import { normalizeKommo } from '../normalize/kommo-normalizer.js';

/** Pure-path throughput over every repo fixture (printed as one JSON line for tools/bench-normalizers). */
const dir = new URL('../../fixtures/', import.meta.url);
const bodies = readdirSync(dir)
  .filter((name) => name.endsWith('.txt'))
  .map((name) => readFileSync(new URL(name, dir)));
const meta = {
  connectionId: 'bench',
  source: 'kommo' as const,
  receivedAt: new Date().toISOString(),
};
process.stdout.write(`${JSON.stringify(measureNormalizer(normalizeKommo, bodies, meta))}\n`);
