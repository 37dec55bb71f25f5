import { readFileSync, readdirSync } from 'node:fs';
import type { Source } from '@crm/contracts';
import type { DeliveryMeta } from '../canonical-event.js';
import type { Normalizer } from '../outcome-builder.js';

export interface PureThroughput {
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
}

/** Runs a pure normalizer over the bodies in a loop for `seconds` (after a warm-up): events per second. */
export function measureNormalizer(
  normalize: Normalizer,
  bodies: readonly Buffer[],
  meta: DeliveryMeta,
  seconds = 3,
): PureThroughput {
  const warmUntil = performance.now() + 500;
  for (let i = 0; performance.now() < warmUntil; i++)
    normalize(bodies[i % bodies.length] ?? Buffer.alloc(0), meta);
  let events = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  for (let i = 0; performance.now() < end; i++)
    events += normalize(bodies[i % bodies.length] ?? Buffer.alloc(0), meta).events.length;
  const elapsed = (performance.now() - start) / 1000;
  return { events, seconds: elapsed, eventsPerSecond: Math.round(events / elapsed) };
}

/**
 * A normalizer app's pure-path benchmark entry: measures `normalize` over every
 * `.txt` fixture in `fixturesDir` and prints one JSON line (read by tools/bench-normalizers).
 */
export function printPureThroughput(normalize: Normalizer, source: Source, fixturesDir: URL): void {
  const bodies = readdirSync(fixturesDir)
    .filter((name) => name.endsWith('.txt'))
    .map((name) => readFileSync(new URL(name, fixturesDir)));
  const meta: DeliveryMeta = {
    connectionId: 'bench',
    source,
    receivedAt: new Date().toISOString(),
  };
  process.stdout.write(`${JSON.stringify(measureNormalizer(normalize, bodies, meta))}\n`);
}
