import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKafka, parseBrokers } from '@crm/kafka';
import { createBenchTopics, runBenchmark } from '@crm/testing';
import { CONNECTIONS_YAML, ROOT, SPOOL, log } from './bench-settings.js';
import { normalPhases } from './normal-phases.js';
import { printReport, type SpoolPhases } from './report.js';
import { forwardPhase } from './forward-phase.js';
import { spooledPhase } from './spooled-phase.js';

/** The broker this bench starts when KAFKA_BROKERS is unset (its controller on the next port). */
const OWN_BROKER_PORT = 39410;

function run(label: string, command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`${label} failed (exit ${result.status ?? 'signal'})`);
}

async function main(kafkaBrokers: () => Promise<string>): Promise<void> {
  log('building ingress and the baseline servers');
  run('build', join(ROOT, 'node_modules/.bin/tsc'), ['-b', 'apps/ingress', 'tools/bench-ingress']);
  const brokers = await kafkaBrokers();
  const kafka = createKafka({ clientId: 'bench-ingress', brokers: parseBrokers(brokers) });
  const admin = kafka.admin();
  await admin.connect();
  const run_ = randomUUID().slice(0, 8);
  const topics = {
    ingress: `bench.ingress.${run_}`,
    naive: `bench.naive.${run_}`,
    spooled: `bench.spooled.${run_}`,
    spoolOff: `bench.spool-off.${run_}`,
  };
  await createBenchTopics(
    admin,
    Object.values(topics).map((topic) => ({ topic, partitions: 12 })),
  );
  const dir = mkdtempSync(join(tmpdir(), 'bench-ingress-'));
  const connectionsFile = join(dir, 'connections.yaml');
  writeFileSync(connectionsFile, CONNECTIONS_YAML);
  // A fresh spool directory per ingress (inside `dir`, removed at the end).
  const freshSpool = (): { dir: string } => ({ dir: mkdtempSync(join(dir, 'spool-')) });
  try {
    const normal = await normalPhases(
      {
        brokers,
        connectionsFile,
        logDir: dir,
        topic: topics.ingress,
        spool: SPOOL === 'off' ? 'off' : freshSpool(),
      },
      topics.naive,
      admin,
      SPOOL === 'compare'
        ? { brokers, connectionsFile, logDir: dir, topic: topics.spoolOff, spool: 'off' }
        : undefined,
    );
    let spool: SpoolPhases | undefined;
    if (SPOOL !== 'off') {
      const ingress = { connectionsFile, logDir: dir, topic: topics.spooled, spool: freshSpool() };
      const spooled = await spooledPhase(ingress);
      spool = { spooled, forward: await forwardPhase({ ...ingress, brokers }, admin) };
    }
    printReport(normal, spool);
  } finally {
    await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
    await admin.disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}

const USAGE = `usage: npm run bench:ingress
  Throughput and latency of ingress against a bare-http ceiling and a naive baseline, with the
  broker up; then ingress with the broker unreachable (every webhook spooled to local disk: max
  req/s, p99, fsync batches; open loop at 5,000 req/s), and the forward of that spool once the
  broker is back. Every ingress gets a fresh INGRESS_SPOOL_DIR. Last line is JSON.
  env: KAFKA_BROKERS (unset: starts its own broker), BENCH_SECONDS, BENCH_ROUNDS, BENCH_CONNECTIONS,
       BENCH_SPOOL=off (ingress with INGRESS_SPOOL_ENABLED=false, spool phases skipped),
       BENCH_SPOOL=compare (also an ingress with the spool off in the max-throughput rounds),
       BENCH_NODE_ARGS (node flags for the servers, e.g. --cpu-prof)`;

await runBenchmark('bench', OWN_BROKER_PORT, main, USAGE);
