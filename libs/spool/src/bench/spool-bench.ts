/**
 * `node libs/spool/dist/bench/spool-bench.js [--dir DIR] [--seconds N] [--appenders N]`
 *
 * Appends 1 KB records from concurrent appenders (as concurrent webhooks would)
 * for a while, then drains everything with read + commit (half serially, half
 * pipelined), and prints: appends/s, fsync batches/s, append latency
 * percentiles, read+commit records/s.
 * The directory defaults to a fresh one under the OS temp dir, removed after.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Spool, type SpoolRecord } from '../index.js';

const USAGE =
  'usage: node libs/spool/dist/bench/spool-bench.js [--seconds 5] [--appenders 64] [--dir DIR]';
const RECORD_VALUE_BYTES = 1024;
const READ_MAX_RECORDS = 1000;
const READ_MAX_BYTES = 1024 * 1024;
const COMMITS_IN_FLIGHT = 4;

function recordFor(seq: number, value: Buffer): SpoolRecord {
  return {
    key: Buffer.from(`account-${seq % 100}`),
    value,
    headers: { 'webhook-id': `wh-${seq}`, 'crm-kind': 'kommo', 'spooled-at': String(Date.now()) },
  };
}

function line(label: string, value: string): void {
  process.stdout.write(`${label.padEnd(46)}${value}\n`);
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
}

async function appendPhase(
  spool: Spool,
  appenders: number,
  seconds: number,
  fsyncs: { count: number },
): Promise<void> {
  const value = Buffer.alloc(RECORD_VALUE_BYTES, 'x');
  const latencies: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  let seq = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: appenders }, async () => {
      while (performance.now() < deadline) {
        const record = recordFor(seq++, value);
        const at = performance.now();
        await spool.append(record);
        latencies.push(performance.now() - at);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const sorted = Float64Array.from(latencies).sort();
  line('appends', `${latencies.length} in ${elapsed.toFixed(2)} s`);
  line('appends/s', (latencies.length / elapsed).toFixed(0));
  line('fsync batches/s', (fsyncs.count / elapsed).toFixed(0));
  line('records per fsync (mean)', (latencies.length / fsyncs.count).toFixed(1));
  line(
    'append latency p50 / p99 / max ms',
    [0.5, 0.99, 1].map((p) => percentile(sorted, p).toFixed(2)).join(' / '),
  );
}

/**
 * Reads and commits `records` records. Serial: each commit is awaited before
 * the next read. Pipelined (as a forwarder sending the next batch while the
 * last one's commit runs): up to COMMITS_IN_FLIGHT commits outstanding.
 */
async function drainPhase(spool: Spool, records: number, pipelined: boolean): Promise<void> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const commits: Promise<void>[] = [];
  let done = 0;
  while (done < records) {
    const batch = await spool.read(Math.min(READ_MAX_RECORDS, records - done), READ_MAX_BYTES);
    if (!batch) break;
    done += batch.records.length;
    commits.push(spool.commit(batch));
    if (!pipelined || commits.length >= COMMITS_IN_FLIGHT) await commits.shift();
  }
  await Promise.all(commits);
  const elapsed = (performance.now() - started) / 1000;
  const { user, system } = process.cpuUsage(cpu);
  const mode = pipelined ? `pipelined (${COMMITS_IN_FLIGHT} commits)` : 'serial';
  line(
    `read+commit records/s, ${mode}`,
    `${(done / elapsed).toFixed(0)} (${done} in ${elapsed.toFixed(2)} s)`,
  );
  line('  records per CPU second', (done / ((user + system) / 1e6)).toFixed(0));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string' },
      seconds: { type: 'string', default: '5' },
      appenders: { type: 'string', default: '64' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const dir = values.dir ?? (await mkdtemp(join(tmpdir(), 'spool-bench-')));
  const appenders = Number(values.appenders);
  const fsyncs = { count: 0 };
  const spool = await Spool.open({
    dir,
    maxBytes: 4 * 1024 * 1024 * 1024,
    onFsync: () => (fsyncs.count += 1),
  });
  try {
    const load = loadavg()[0]?.toFixed(1);
    process.stdout.write(
      `spool bench: ${appenders} appenders, 1 KB values, ${dir}, load average ${load} on ${availableParallelism()} cores\n`,
    );
    await appendPhase(spool, appenders, Number(values.seconds), fsyncs);
    const half = Math.floor(spool.records / 2);
    await drainPhase(spool, half, false);
    await drainPhase(spool, spool.records, true);
  } finally {
    await spool.close();
    if (values.dir === undefined) await rm(dir, { recursive: true, force: true });
  }
}

await main();
