import { printPureThroughput } from '@crm/normalizer-kit';
import { normalizePipeliner } from '../normalize/pipeliner-normalizer.js';

/** Pure-path throughput over every repo fixture (one JSON line for tools/bench-normalizers). */
printPureThroughput(normalizePipeliner, 'pipeliner', new URL('../../fixtures/', import.meta.url));
