/**
 * Runs autocannon in this (separate) process and prints one JSON line. The
 * duration is measured here, from the start to the last response: autocannon's
 * own `duration` snaps to its one-second sampling ticks when a fixed request
 * count finishes between ticks, which would bias req/s low by up to a second.
 */
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

interface Result {
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
  mismatches: number;
  latency: { p50: number; p99: number };
}
interface Instance {
  on(event: 'start' | 'response', listener: () => void): void;
  on(event: 'done', listener: (result: Result) => void): void;
}
type Autocannon = (options: Record<string, unknown>) => Instance;

const require = createRequire(import.meta.url);
const autocannon = require('autocannon') as Autocannon;
const { bodyLatin1, expectBodyIncludes, ...options } = JSON.parse(
  process.argv[2] ?? '{}',
) as Record<string, unknown>;
if (typeof bodyLatin1 === 'string') options['body'] = Buffer.from(bodyLatin1, 'latin1');
if (typeof expectBodyIncludes === 'string')
  options['verifyBody'] = (body: string): boolean => body.includes(expectBodyIncludes);

let startedAt = performance.now();
let lastResponseAt = startedAt;
const instance = autocannon(options);
instance.on('start', () => {
  startedAt = performance.now();
});
instance.on('response', () => {
  lastResponseAt = performance.now();
});
instance.on('done', (result) => {
  const durationS = Math.max(0.001, (lastResponseAt - startedAt) / 1000);
  process.stdout.write(
    `${JSON.stringify({
      ok2xx: result['2xx'],
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
      mismatches: result.mismatches,
      durationS,
      rps: result['2xx'] / durationS,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
    })}\n`,
  );
});
