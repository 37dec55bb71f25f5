import { printPureThroughput } from '@crm/normalizer-kit/bench';
import { normalizePipeliner } from '../normalize/pipeliner-normalizer.js';

/**
 * Pure-path throughput over every repo fixture: one JSON line for tools/bench-normalizers.
 * Not in the service image: its build stage deletes every `dist/bench`.
 */
printPureThroughput(normalizePipeliner, 'pipeliner', new URL('../../fixtures/', import.meta.url));
