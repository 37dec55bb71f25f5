import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FAILURE_HEADERS } from '@crm/contracts';
import { BatchingProducer, TailObserver, createKafka, kafkaConfigFromEnv } from '@crm/kafka';
import { createBenchTopics, runBenchmark } from '@crm/testing';
import { percentile } from './percentile.js';
import { SchedulerProcess } from './scheduler-process.js';

/**
 * `npm run bench:retry`: RECORDS records (default 100,000) spread over four
 * retry tiers, due in a window that starts after they are all written; the
 * real retry-scheduler (child process, breaker off) holds and releases them.
 * Lateness = Kafka timestamp of the re-delivered record minus its due time.
 * Last line: {"scheduled", "rss_mb", "release_lateness_p99_ms"}.
 */
const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const RECORDS = Number(process.env['RECORDS'] ?? 100_000);
const LEAD_MS = Number(process.env['LEAD_MS'] ?? 25_000);
const SPREAD_MS = Number(process.env['SPREAD_MS'] ?? 20_000);
const OPS_PORT = Number(process.env['BENCH_OPS_PORT'] ?? 9199);
/** The broker this bench starts when KAFKA_BROKERS is unset (its controller on the next port). */
const OWN_BROKER_PORT = 39440;
const TIERS = 4;
const PARTITIONS = 3;

const log = (line: string): void => void process.stderr.write(`${line}\n`);

async function until(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

async function main(brokers: () => Promise<string>): Promise<void> {
  await brokers();
  const kafka = createKafka(kafkaConfigFromEnv('bench-retry'));
  const run = randomUUID().slice(0, 8);
  const tiers = Array.from({ length: TIERS }, (_, i) => `bench.retry.${run}.t${i + 1}`);
  const origin = `bench.retry.${run}.origin`;
  const dlq = `bench.retry.${run}.dlq`;
  const admin = kafka.admin();
  await admin.connect();
  await createBenchTopics(
    admin,
    [...tiers, origin, dlq].map((topic) => ({ topic, partitions: PARTITIONS })),
  );
  await admin.disconnect();
  execFileSync('npx', ['tsc', '-b', 'apps/retry-scheduler'], { cwd: ROOT, stdio: 'inherit' });

  const scheduler = SchedulerProcess.start(ROOT, OPS_PORT, {
    RETRY_TOPICS: tiers.join(','),
    DLQ_TOPIC: dlq,
    SCHEDULER_GROUP_ID: `bench-retry-${run}`,
    BREAKER_ENABLED: 'false',
  });
  const lateness = new Float64Array(RECORDS);
  let released = 0;
  const observer = new TailObserver({
    kafka,
    groupPrefix: `bench-retry-${run}`,
    topics: [origin],
    lookbackMs: 60 * 60_000,
    onRecord: (record) => {
      const due = Number(record.value?.toString('latin1', 0, 13));
      if (released < RECORDS) lateness[released] = Number(record.timestamp) - due;
      released += 1;
    },
  });
  await observer.start();
  await until(() => scheduler.ready(), 60_000, 'scheduler ready');

  const producer = new BatchingProducer(kafka, { lingerMs: 5 });
  await producer.connect();
  const start = Date.now();
  const firstDue = start + LEAD_MS;
  const perTier = Math.ceil(RECORDS / TIERS);
  const padding = 'x'.repeat(180);
  const sends: Promise<void>[] = [];
  for (let i = 0; i < RECORDS; i += 1) {
    const tier = i % TIERS;
    const position = Math.floor(i / TIERS) / perTier;
    const due = firstDue + tier * 2_000 + Math.floor(position * SPREAD_MS);
    sends.push(
      producer.send(tiers[tier] ?? '', {
        key: `entity-${i % 5_000}`,
        value: `${due}|${padding}`,
        headers: {
          [FAILURE_HEADERS.attempt]: String(tier + 1),
          [FAILURE_HEADERS.dueAt]: String(due),
          [FAILURE_HEADERS.originTopic]: origin,
          [FAILURE_HEADERS.originPartition]: String(i % PARTITIONS),
          [FAILURE_HEADERS.originOffset]: String(i),
          [FAILURE_HEADERS.originGroup]: 'bench-consumer',
          [FAILURE_HEADERS.errorCode]: 'downstream_unavailable',
          [FAILURE_HEADERS.firstFailedAt]: new Date(start).toISOString(),
        },
      }),
    );
    if (sends.length >= 5_000) await Promise.all(sends.splice(0));
  }
  await Promise.all(sends);
  await producer.disconnect();
  const written = Date.now();
  log(`wrote ${RECORDS} records in ${written - start} ms; first due in ${firstDue - written} ms`);
  if (written > firstDue)
    log('WARNING: writing took longer than LEAD_MS; lateness includes write time');

  const lastDue = firstDue + (TIERS - 1) * 2_000 + SPREAD_MS;
  await until(() => released >= RECORDS, lastDue - Date.now() + 120_000, `${RECORDS} releases`);
  const rssMb = scheduler.peakRssMb();
  const metrics = await scheduler.metrics();
  await scheduler.stop();
  await observer.stop();
  const p50 = percentile(lateness, 50);
  const p99 = percentile(lateness, 99);
  const max = percentile(lateness, 100);
  const early = lateness.filter((value) => value < 0).length;
  log(`released ${released} (duplicates: ${released - RECORDS}), early releases: ${early}`);
  log(`release lateness ms: p50 ${p50}, p99 ${p99}, max ${max}; scheduler peak rss ${rssMb} MiB`);
  log(
    metrics
      .split('\n')
      .filter((line) => line.startsWith('crm_retry_released_total'))
      .join('\n'),
  );
  process.stdout.write(
    `${JSON.stringify({ scheduled: RECORDS, rss_mb: rssMb, release_lateness_p99_ms: p99 })}\n`,
  );
}

const USAGE = `usage: npm run bench:retry\n  Release lateness of the retry scheduler over RECORDS held records; last line is JSON.\n  env: KAFKA_BROKERS (unset: starts its own broker), RECORDS, LEAD_MS, SPREAD_MS, BENCH_OPS_PORT`;

await runBenchmark('bench-retry', OWN_BROKER_PORT, main, USAGE);
