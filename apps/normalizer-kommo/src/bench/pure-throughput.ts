import { printPureThroughput } from '@crm/normalizer-kit';
import { normalizeKommo } from '../normalize/kommo-normalizer.js';

/** Pure-path throughput over every repo fixture (one JSON line for tools/bench-normalizers). */
printPureThroughput(normalizeKommo, 'kommo', new URL('../../fixtures/', import.meta.url));
