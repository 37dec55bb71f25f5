import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBenchmark, testKafka } from '@crm/testing';
import { BENCH_CONNECTIONS, BENCH_SOURCES, BODY_BYTES } from './bench-records.js';
import { benchEndToEnd, type E2eResult } from './e2e-bench.js';
import { benchPure } from './pure-bench.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const RECORDS = Number(process.env['BENCH_RECORDS'] ?? 50_000);
const PURE_ITERATIONS = Number(process.env['BENCH_PURE_ITERATIONS'] ?? 200_000);
/** The broker this bench starts when KAFKA_BROKERS is unset (its controller on the next port). */
const OWN_BROKER_PORT = 39420;
/** BENCH_SOURCES=kommo-chat,pipeliner runs only those. */
const SOURCES = BENCH_SOURCES.filter((source) =>
  (process.env['BENCH_SOURCES'] ?? BENCH_SOURCES.join(',')).split(',').includes(source),
);

/**
 * `npm run bench:verifier`: records/s for 1 KiB bodies of each source, first
 * the pure verification path, then one verifier process end to end through
 * the broker (KAFKA_BROKERS, or one of its own when unset). Last line is JSON.
 */
async function main(brokers: () => Promise<string>): Promise<void> {
  const pure: Record<string, number> = {};
  for (const source of SOURCES) {
    pure[source] = Math.round(benchPure(source, PURE_ITERATIONS));
    process.stdout.write(
      `pure   ${source.padEnd(10)} ${pure[source]} records/s (${BODY_BYTES} B bodies)\n`,
    );
  }

  process.stdout.write('building apps/verifier...\n');
  execFileSync('npx', ['tsc', '-b', 'apps/verifier'], { cwd: ROOT, stdio: 'inherit' });
  const dir = mkdtempSync(join(tmpdir(), 'bench-verifier-'));
  const connectionsFile = join(dir, 'connections.json');
  writeFileSync(connectionsFile, JSON.stringify({ connections: BENCH_CONNECTIONS }));
  await brokers();
  const kafka = testKafka('bench-verifier');
  const e2e: E2eResult[] = [];
  for (const source of SOURCES) {
    const result = await benchEndToEnd(
      kafka,
      join(ROOT, 'apps/verifier/dist/main.js'),
      connectionsFile,
      source,
      RECORDS,
    );
    e2e.push(result);
    process.stdout.write(
      `kafka  ${source.padEnd(10)} ${Math.round(result.rps)} records/s (${result.records} records, ${result.wallSeconds.toFixed(1)} s incl. start-up)\n`,
    );
  }
  const minimum = Math.round(Math.min(...e2e.map((result) => result.rps)));
  process.stdout.write(
    `${JSON.stringify({
      verifier_rps: minimum,
      per_source_rps: Object.fromEntries(
        e2e.map((result) => [result.source, Math.round(result.rps)]),
      ),
      pure_rps: pure,
      body_bytes: BODY_BYTES,
      records_per_source: RECORDS,
    })}\n`,
  );
}

const USAGE = `usage: npm run bench:verifier\n  Records/s of the verifier per source, pure and end to end through the broker; last line is JSON.\n  env: KAFKA_BROKERS (unset: starts its own broker), BENCH_RECORDS, BENCH_PURE_ITERATIONS, BENCH_SOURCES`;

await runBenchmark('bench-verifier', OWN_BROKER_PORT, main, USAGE);
