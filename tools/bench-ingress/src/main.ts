import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createKafka, parseBrokers } from '@crm/kafka';
import { createBenchTopics, median, recordCount, runBenchmark } from '@crm/testing';
import { runAutocannon, type ClosedLoopResult } from './autocannon.js';
import { runOpenLoop } from './open-loop.js';
import { cpuSeconds, peakRssMb } from './process-stats.js';
import { startServer, type ServerProcess } from './server-process.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const DIST = join(ROOT, 'tools/bench-ingress/dist/servers');
const MAX_SECONDS = Number(process.env['BENCH_SECONDS'] ?? 6);
/** Ingress and the ceiling take turns this many times; the report uses the medians. */
const ROUNDS = Math.max(1, Number(process.env['BENCH_ROUNDS'] ?? 5));
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 64);
const TOKEN = 'bench-token';
// A Kommo digital-pipeline delivery as Kommo's PHP encoder sends it (309 bytes).
const BODY = Buffer.from(
  'leads%5Bstatus%5D%5B0%5D%5Bid%5D=25431551&leads%5Bstatus%5D%5B0%5D%5Bstatus_id%5D=34354531' +
    '&leads%5Bstatus%5D%5B0%5D%5Bpipeline_id%5D=3273697&leads%5Bstatus%5D%5B0%5D%5Bold_status_id%5D=35108005' +
    '&leads%5Bstatus%5D%5B0%5D%5Bold_pipeline_id%5D=3273697&account%5Bid%5D=23681254&account%5Bsubdomain%5D=impactcapital',
);
const HEADERS = {
  'content-type': 'application/x-www-form-urlencoded',
  'user-agent': 'amoCRM-WebHook-client/1.0',
};
const PATH = `/webhooks/kommo/bench-kommo?token=${TOKEN}`;
/** The broker this bench starts when KAFKA_BROKERS is unset (its controller on the next port). */
const OWN_BROKER_PORT = 39410;

const log = (line: string): void => void process.stderr.write(`bench: ${line}\n`);

function run(label: string, command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`${label} failed (exit ${result.status ?? 'signal'})`);
}

/** The app under test: built ingress as its own process, ready once /readyz answers 200. */
function startIngress(
  brokers: string,
  connectionsFile: string,
  topic: string,
): Promise<ServerProcess> {
  return startServer(
    'ingress',
    join(ROOT, 'apps/ingress/dist/main.js'),
    {
      KAFKA_BROKERS: brokers,
      CONNECTIONS_FILE: connectionsFile,
      INGRESS_RAW_TOPIC: topic,
      LOG_LEVEL: 'warn',
    },
    async (url) => (await fetch(`${url}/readyz`)).status === 200,
  );
}

interface MaxPhase extends ClosedLoopResult {
  readonly cpuUsPerReq: number;
}

/** Warm up, then run autocannon flat out and charge the server's CPU time to its 2xx answers. */
async function maxPhase(
  server: ServerProcess,
  path: string,
): Promise<{ warm: ClosedLoopResult; max: MaxPhase }> {
  const url = `${server.url}${path}`;
  const warm = await runAutocannon(ROOT, {
    url,
    body: BODY,
    headers: HEADERS,
    connections: CONNECTIONS,
    amount: 5_000,
  });
  const cpuBefore = cpuSeconds(server.pid);
  const result = await runAutocannon(ROOT, {
    url,
    body: BODY,
    headers: HEADERS,
    connections: CONNECTIONS,
    // About MAX_SECONDS at twice the warm-up rate (the warm-up runs partly unoptimized code).
    amount: Math.round(Math.max(2_000, Math.min(400_000, 2 * warm.rps * MAX_SECONDS))),
  });
  const cpu = cpuSeconds(server.pid) - cpuBefore;
  log(
    `${server.name}: ${result.rps.toFixed(0)} req/s (2xx ${result.ok2xx}, non-2xx ${result.non2xx}, errors ${result.errors}), ${cpu.toFixed(2)} CPU s`,
  );
  return { warm, max: { ...result, cpuUsPerReq: (cpu * 1e6) / Math.max(1, result.ok2xx) } };
}

async function main(kafkaBrokers: () => Promise<string>): Promise<void> {
  log('building ingress and the baseline servers');
  run('build', join(ROOT, 'node_modules/.bin/tsc'), ['-b', 'apps/ingress', 'tools/bench-ingress']);
  const brokers = await kafkaBrokers();
  const kafka = createKafka({ clientId: 'bench-ingress', brokers: parseBrokers(brokers) });
  const admin = kafka.admin();
  await admin.connect();
  const run_ = randomUUID().slice(0, 8);
  const topics = { ingress: `bench.ingress.${run_}`, naive: `bench.naive.${run_}` };
  await createBenchTopics(
    admin,
    Object.values(topics).map((topic) => ({ topic, partitions: 12 })),
  );
  const dir = mkdtempSync(join(tmpdir(), 'bench-ingress-'));
  writeFileSync(
    join(dir, 'connections.yaml'),
    `connections:\n  - { id: bench-kommo, source: kommo, secrets: [${TOKEN}], rateLimit: { rps: 1000000, burst: 1000000 } }\n`,
  );
  try {
    // Ingress: max throughput, then latency at a fixed 1,000 req/s.
    const ingress = await startIngress(brokers, join(dir, 'connections.yaml'), topics.ingress);
    const ceiling = await startServer(
      'bare-http',
      join(DIST, 'bare-http-server.js'),
      {},
      async (url) => (await fetch(url)).status === 200,
    );
    // Turns, so both see the same machine: on a shared host its speed drifts by tens of percent
    // within minutes, and a ratio of two runs minutes apart measures the drift as much as the code.
    // A longer first warm-up, so round 1 measures optimized code like the others.
    const warmUps = await Promise.all(
      [ingress, ceiling].map((server) =>
        runAutocannon(ROOT, {
          url: `${server.url}${PATH}`,
          body: BODY,
          headers: HEADERS,
          connections: CONNECTIONS,
          amount: 20_000,
        }),
      ),
    );
    const ingressRuns: { warm: ClosedLoopResult; max: MaxPhase }[] = [];
    const ceilingRuns: { warm: ClosedLoopResult; max: MaxPhase }[] = [];
    for (let round = 1; round <= ROUNDS; round += 1) {
      log(`round ${round} of ${ROUNDS}`);
      ingressRuns.push(await maxPhase(ingress, PATH));
      ceilingRuns.push(await maxPhase(ceiling, PATH));
    }
    await ceiling.stop();
    const cpuRatios = ingressRuns.map(
      (run, i) => run.max.cpuUsPerReq / Math.max(1, ceilingRuns[i]?.max.cpuUsPerReq ?? 0),
    );
    const medians = (runs: readonly { max: MaxPhase }[]) => ({
      rps: median(runs.map((run) => run.max.rps)),
      cpuUsPerReq: median(runs.map((run) => run.max.cpuUsPerReq)),
      p99Ms: median(runs.map((run) => run.max.p99Ms)),
    });
    const [ingressMax, ceilingMax] = [medians(ingressRuns), medians(ceilingRuns)];
    log('ingress: open-loop 1,000 req/s for 10 s');
    const fixed = await runOpenLoop({
      url: `${ingress.url}${PATH}`,
      body: BODY,
      headers: HEADERS,
      rate: 1_000,
      durationMs: 10_000,
    });
    const rssMb = peakRssMb(ingress.pid);
    await ingress.stop();
    const ingressAcked =
      (warmUps[0]?.ok2xx ?? 0) +
      ingressRuns.reduce((sum, run) => sum + run.warm.ok2xx + run.max.ok2xx, 0) +
      fixed.ok;
    const ingressRecords = await recordCount(admin, topics.ingress);

    const naive = await startServer(
      'naive-nest',
      join(DIST, 'naive-nest-server.js'),
      { KAFKA_BROKERS: brokers, BENCH_TOPIC: topics.naive },
      async (url) => (await fetch(url)).status > 0,
    );
    const naiveMax = await maxPhase(naive, PATH);
    await naive.stop();
    const naiveAcked = naiveMax.warm.ok2xx + naiveMax.max.ok2xx;
    const naiveRecords = await recordCount(admin, topics.naive);

    const rows: [string, string, string, string, string][] = [
      ['server', 'max 2xx req/s', 'CPU µs/req', 'p99 ms (max load)', 'records = 2xx'],
      [
        'ingress (batching)',
        ingressMax.rps.toFixed(0),
        ingressMax.cpuUsPerReq.toFixed(0),
        String(ingressMax.p99Ms),
        `${ingressRecords} = ${ingressAcked}`,
      ],
      [
        'bare http (ceiling)',
        ceilingMax.rps.toFixed(0),
        ceilingMax.cpuUsPerReq.toFixed(0),
        String(ceilingMax.p99Ms),
        'n/a (no Kafka)',
      ],
      [
        'naive Nest+ClientKafka',
        naiveMax.max.rps.toFixed(0),
        naiveMax.max.cpuUsPerReq.toFixed(0),
        String(naiveMax.max.p99Ms),
        `${naiveRecords} = ${naiveAcked}`,
      ],
    ];
    const widths =
      rows[0]?.map((_, i) => Math.max(...rows.map((row) => row[i]?.length ?? 0))) ?? [];
    for (const row of rows)
      process.stdout.write(`${row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ')}\n`);
    process.stdout.write(
      `ingress at a fixed 1,000 req/s (open loop, ${fixed.sent} requests): p50 ${fixed.p50Ms.toFixed(2)} ms, p99 ${fixed.p99Ms.toFixed(2)} ms, max ${fixed.maxMs.toFixed(1)} ms, non-2xx ${fixed.failed}, generator lag p99 ${fixed.lagP99Ms.toFixed(2)} ms; ingress peak RSS ${rssMb.toFixed(0)} MiB\n`,
    );
    process.stdout.write(
      `CPU per request, ingress ÷ ceiling, by round: ${cpuRatios.map((ratio) => ratio.toFixed(2)).join(', ')} (median ${median(cpuRatios).toFixed(2)}); table values are medians of ${ROUNDS} rounds\n`,
    );
    const round = (value: number, digits = 2): number => Number(value.toFixed(digits));
    process.stdout.write(
      `${JSON.stringify({
        ingress_rps: Math.round(ingressMax.rps),
        p50_ms_at_1000: round(fixed.p50Ms),
        p99_ms_at_1000: round(fixed.p99Ms),
        rss_mb: Math.round(rssMb),
        cpu_us_per_req: Math.round(ingressMax.cpuUsPerReq),
        ceiling_rps: Math.round(ceilingMax.rps),
        ceiling_cpu_us_per_req: Math.round(ceilingMax.cpuUsPerReq),
        cpu_ratio_vs_ceiling: round(median(cpuRatios)),
        naive_rps: Math.round(naiveMax.max.rps),
        naive_cpu_us_per_req: Math.round(naiveMax.max.cpuUsPerReq),
        ratio_vs_naive: round(ingressMax.rps / Math.max(1, naiveMax.max.rps)),
        records_match: ingressRecords === ingressAcked && naiveRecords === naiveAcked,
      })}\n`,
    );
  } finally {
    await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
    await admin.disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}

const USAGE = `usage: npm run bench:ingress\n  Throughput and latency of ingress against a naive baseline; last line is JSON.\n  env: KAFKA_BROKERS (unset: starts its own broker), BENCH_SECONDS, BENCH_ROUNDS, BENCH_CONNECTIONS`;

await runBenchmark('bench', OWN_BROKER_PORT, main, USAGE);
