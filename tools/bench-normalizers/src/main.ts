import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CE_HEADERS, SOURCES } from '@crm/contracts';
import { readTopicSnapshot } from '@crm/kafka';
import { verifiedMessage } from '@crm/normalizer-kit';
import {
  createBenchTopics,
  median,
  produce,
  recordCount,
  runBenchmark,
  testKafka,
  waitFor,
  withAdmin,
} from '@crm/testing';
import { benchSubjects, type BenchSubject } from './bench-bodies.js';
import { startNormalizerApp, stopApp, type TrialTopics } from './run-app.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const SCALE = Number(process.env['BENCH_SCALE'] ?? '1');
/** End-to-end runs per normalizer; the report uses the median (this host's speed drifts run to run). */
const TRIALS = Math.max(1, Number(process.env['BENCH_TRIALS'] ?? '3'));
/** The broker this bench starts when KAFKA_BROKERS is unset (its controller on the next port). */
const OWN_BROKER_PORT = 39430;

function pure(app: string): number {
  const result = spawnSync(
    process.execPath,
    [join(ROOT, 'apps', app, 'dist', 'bench', 'pure-throughput.js')],
    {
      encoding: 'utf8',
    },
  );
  if (result.status !== 0) throw new Error(`${app} pure bench failed: ${result.stderr}`);
  return (JSON.parse(result.stdout.trim()) as { eventsPerSecond: number }).eventsPerSecond;
}

/**
 * End to end on one instance: a backlog of verified records is produced first,
 * then the app starts; throughput = events / (last - first event timestamp),
 * so start-up and the group join are not counted. While the app runs, the
 * bench only polls the events topic's end offsets (cheap admin calls); the
 * events are read after the app stopped, so no bench consumer competes with
 * it for this 2-core machine's CPU.
 */
async function endToEnd(
  subject: BenchSubject,
): Promise<{ eps: number; events: number; seconds: number }> {
  const kafka = testKafka(`bench-${subject.app}`);
  const id = randomUUID();
  const topics: TrialTopics = {
    input: `bench.in.${id}`,
    idle: Object.fromEntries(
      SOURCES.filter((other) => other !== subject.source).map((other) => [
        other,
        `bench.idle.${other}.${id}`,
      ]),
    ),
    events: `bench.events.${id}`,
    dlq: `bench.dlq.${id}`,
  };
  const all = [topics.input, ...Object.values(topics.idle), topics.events, topics.dlq];
  await withAdmin(kafka, (admin) =>
    createBenchTopics(admin, [
      { topic: topics.input, partitions: 6 },
      ...Object.values(topics.idle).map((topic) => ({ topic, partitions: 1 })),
      { topic: topics.events, partitions: 12 },
      { topic: topics.dlq, partitions: 1 },
    ]),
  );
  try {
    for (let start = 0; start < subject.records; start += 200) {
      const batch = Array.from({ length: Math.min(200, subject.records - start) }, (_, i) =>
        verifiedMessage(subject.body(start + i), {
          source: subject.source,
          connectionId: `bench-${(start + i) % 8}`,
        }),
      );
      await produce(kafka, topics.input, batch);
    }
    const expected = subject.records * subject.eventsPerRecord;
    const child = startNormalizerApp(
      ROOT,
      subject.app,
      subject.source,
      topics,
      `bench-${subject.app}-${id}`,
    );
    try {
      await withAdmin(kafka, (admin) =>
        waitFor(async () => (await recordCount(admin, topics.events)) >= expected, {
          timeoutMs: 300_000,
          intervalMs: 200,
          description: `${expected} events from ${subject.app}`,
        }),
      );
    } finally {
      await stopApp(child);
    }
    const times: number[] = [];
    let dead = 0;
    await readTopicSnapshot(kafka, topics.events, (record) => {
      if (record.headers[CE_HEADERS.id]) times.push(Number(record.timestamp));
    });
    await readTopicSnapshot(kafka, topics.dlq, () => (dead += 1));
    if (times.length !== expected || dead > 0)
      throw new Error(
        `${subject.app}: expected ${expected} events and no dead letters, got ${times.length} and ${dead}`,
      );
    const seconds = Math.max(0.001, (Math.max(...times) - Math.min(...times)) / 1000);
    return { eps: Math.round(times.length / seconds), events: times.length, seconds };
  } finally {
    await withAdmin(kafka, (admin) => admin.deleteTopics({ topics: all })).catch(() => undefined);
  }
}

async function main(brokers: () => Promise<string>): Promise<void> {
  const build = spawnSync(
    join(ROOT, 'node_modules/.bin/tsc'),
    ['-b', 'apps/normalizer-kommo', 'apps/normalizer-kommo-chat', 'apps/normalizer-pipeliner'],
    { cwd: ROOT, stdio: 'inherit' },
  );
  if (build.status !== 0) throw new Error('build failed');
  await brokers();
  const result: Record<string, number> = {};
  for (const subject of benchSubjects(SCALE)) {
    const pureEps = pure(subject.app);
    const trials: number[] = [];
    for (let trial = 0; trial < TRIALS; trial += 1) {
      const e2e = await endToEnd(subject);
      trials.push(e2e.eps);
      process.stderr.write(
        `bench: ${subject.app} trial ${trial + 1}: ${e2e.eps} events/s (${e2e.events} events in ${e2e.seconds.toFixed(2)} s)\n`,
      );
    }
    const eps = Math.round(median(trials));
    process.stdout.write(
      `${subject.app.padEnd(22)} pure ${String(pureEps).padStart(7)} events/s   end-to-end ${String(eps).padStart(7)} events/s (median of ${TRIALS}: ${trials.join(', ')}; one instance, real broker)\n`,
    );
    result[`${subject.label}_eps`] = eps;
    result[`${subject.label}_pure_eps`] = pureEps;
  }
  const { kommo_eps, kommo_chat_eps, pipeliner_eps, ...pureNumbers } = result;
  process.stdout.write(
    `${JSON.stringify({ kommo_eps, kommo_chat_eps, pipeliner_eps, ...pureNumbers })}\n`,
  );
}

const USAGE = `usage: npm run bench:normalizers\n  Events/s of each normalizer, pure and end to end through the broker; last line is JSON.\n  env: KAFKA_BROKERS (unset: starts its own broker), BENCH_SCALE, BENCH_TRIALS`;

await runBenchmark('bench:normalizers', OWN_BROKER_PORT, main, USAGE);
