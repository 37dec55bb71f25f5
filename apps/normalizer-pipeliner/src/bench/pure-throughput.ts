import { readFileSync, readdirSync } from 'node:fs';
import { measureNormalizer } from '@crm/normalizer-kit';
import { normalizePipeliner } from '../normalize/pipeliner-normalizer.js';

/** Pure-path throughput over every repo fixture (printed as one JSON line for tools/bench-normalizers). */
const dir = new URL('../../fixtures/', import.meta.url);
const bodies = readdirSync(dir)
  .filter((name) => name.endsWith('.txt'))
  .map((name) => readFileSync(new URL(name, dir)));
const meta = {
  connectionId: 'bench',
  source: 'pipeliner' as const,
  receivedAt: new Date().toISOString(),
};
process.stdout.write(`${JSON.stringify(measureNormalizer(normalizePipeliner, bodies, meta))}\n`);
