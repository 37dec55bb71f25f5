import { mkdtempSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SOURCES } from '@crm/contracts';
import { createKafka } from '@crm/kafka';
import { USAGE, parseChaosArgs, type ChaosOptions } from './chaos-args.js';
import { ChaosConnections } from './chaos-connections.js';
import { latencySummary, summarize, summaryTable, type FaultRun } from './chaos-report.js';
import {
  FULL_DURATION_S,
  FULL_SCHEDULE,
  SMOKE_DURATION_S,
  SMOKE_SCHEDULE,
  runSchedule,
} from './fault-schedule.js';
import { LocalCluster } from './local-cluster.js';
import { LoadGenerator, newSenderAgent, type LoadOptions } from './load-generator.js';
import { PipelineLedger } from './pipeline-ledger.js';
import {
  acknowledgedNotInRaw,
  describeReplies,
  replyCounts,
  replyLatencies,
} from './reply-accounting.js';
import { logFaultReplies, logProgress, logUnaccounted, withoutEvent } from './run-log.js';
import { ServiceFleet } from './service-fleet.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
/** How long the senders keep the old secrets after the file names the new ones (the services reload it). */
const ROTATION_GRACE_MS = 5_000;
/** The pipeline may still be catching up when the load ends: wait this long for its last events. */
const DRAIN_MS = 120_000;
/** How long the ledger may see nothing new while webhooks are missing before it reads again. */
const LEDGER_STALL_MS = 15_000;

const started = Date.now();
const log = (line: string): void => {
  process.stderr.write(`chaos +${((Date.now() - started) / 1000).toFixed(0)}s: ${line}\n`);
};
const sleep = (ms: number) => new Promise((wait) => setTimeout(wait, ms));

/** What an interrupted run must not leave behind: the service processes and the cluster. */
const interrupted: { fleet?: ServiceFleet; cluster?: LocalCluster; keep: boolean } = {
  keep: false,
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
  process.once(signal, () => {
    log(`${signal}: stopping the services and the cluster`);
    for (const instance of interrupted.fleet?.instances ?? []) interrupted.fleet?.kill(instance);
    const down = interrupted.keep ? Promise.resolve() : interrupted.cluster?.down();
    void Promise.resolve(down).finally(() => process.exit(130));
  });

/**
 * Waits (at most DRAIN_MS) until every acknowledged webhook is on the raw topic and has an event.
 * When the ledger's counts have not moved for LEDGER_STALL_MS, its own consumer may be what is
 * stuck (a group whose coordinator died with the cluster): it follows again in a new group.
 */
async function drain(generator: LoadGenerator, ledger: PipelineLedger): Promise<void> {
  const deadline = Date.now() + DRAIN_MS;
  let last = '';
  let movedAt = Date.now();
  for (;;) {
    const noEvent = withoutEvent(generator, ledger).length;
    const notInRaw = acknowledgedNotInRaw(generator.webhooks, ledger.rawWebhookIds).length;
    if ((noEvent === 0 && notInRaw === 0) || Date.now() >= deadline) return;
    log(
      `waiting for acknowledged webhooks: ${notInRaw} not on the raw topic, ${noEvent} without an event`,
    );
    const counts = `${notInRaw}/${noEvent}`;
    if (counts !== last) {
      last = counts;
      movedAt = Date.now();
    } else if (Date.now() - movedAt >= LEDGER_STALL_MS) {
      log(
        `the ledger saw nothing new for ${LEDGER_STALL_MS / 1000} s: reading the topics again in a new group`,
      );
      await ledger.refollow().catch((error: unknown) => log(`ledger: ${String(error)}`));
      movedAt = Date.now();
    }
    await sleep(2_000);
  }
}

/** Load nobody accounts for, so that the measured load meets warm services; logs what it got. */
async function warmUp(
  load: Omit<LoadOptions, 'durationMs'>,
  seconds: number,
): Promise<LoadGenerator> {
  const warmup = new LoadGenerator({ ...load, durationMs: seconds * 1000, retries: false });
  if (seconds === 0) return warmup;
  log(`warm-up: ${load.rate} webhooks/s for ${seconds} s, not accounted for`);
  await warmup.run();
  const latency = latencySummary(replyLatencies(warmup.webhooks));
  log(
    `warm-up replies: ${describeReplies(replyCounts(warmup.webhooks))}, reply ms p50/p99 ${latency.p50}/${latency.p99}`,
  );
  return warmup;
}

async function run(options: ChaosOptions): Promise<number> {
  const schedule = options.smoke ? SMOKE_SCHEDULE : FULL_SCHEDULE;
  const durationS = options.durationS ?? (options.smoke ? SMOKE_DURATION_S : FULL_DURATION_S);
  const workDir = mkdtempSync(join(tmpdir(), 'crm-chaos-'));
  log(`service logs and the connections file in ${workDir}`);
  interrupted.keep = options.keepCluster;
  const cluster = await LocalCluster.up(ROOT, options.kafkaPort, log, options.nodes);
  interrupted.cluster = cluster;
  let fleet: ServiceFleet | undefined;
  let ledger: PipelineLedger | undefined;
  try {
    const connectionsFile = join(workDir, 'connections.yaml');
    const connections = new ChaosConnections(connectionsFile, SOURCES);
    const env = {
      KAFKA_BROKERS: cluster.brokers.join(','),
      CONNECTIONS_FILE: connectionsFile,
      HOST: '127.0.0.1',
    };
    fleet = await ServiceFleet.start(ROOT, env, workDir, log, options.instances);
    interrupted.fleet = fleet;
    log(`${fleet.instances.length} service instances ready`);
    fleet.watchLiveness();
    ledger = await PipelineLedger.start(
      // Its client lives through every fault: its connection errors are expected, not news.
      createKafka({ clientId: 'chaos', brokers: cluster.brokers }, () => undefined),
    );
    const agent = newSenderAgent();
    const load = {
      agent,
      ingress: fleet.ingressUrls(),
      rate: options.rate,
      retryScale: 1 / options.retryCompression,
      connections: () => connections.current(),
    };
    const warmup = await warmUp(load, options.warmupS);
    const generator = new LoadGenerator({
      ...load,
      durationMs: durationS * 1000,
      numberFrom: warmup.webhooks.length,
    });
    const loadStartedAt = Date.now();
    const loadAverageAtStart = loadavg()[0] ?? 0;
    log(
      `load: ${options.rate} webhooks/s for ${durationS} s; ${schedule.length} fault(s) scheduled`,
    );
    const stopProgress = logProgress(log, generator, ledger, loadStartedAt);
    const context = {
      cluster,
      fleet,
      log,
      rotateSecrets: async () => {
        const switchSenders = connections.rotate();
        await sleep(ROTATION_GRACE_MS);
        switchSenders();
        log('senders now sign with the new secrets');
      },
      faultEnded: (fault: FaultRun) => logFaultReplies(log, generator, fault),
    };
    const [, faults] = await Promise.all([
      generator.run(),
      runSchedule(schedule, context, loadStartedAt, durationS),
    ]);
    stopProgress();
    agent.destroy();
    const loadAverageAtEnd = loadavg()[0] ?? 0;
    await drain(generator, ledger);
    const crashed = fleet.exited().map((instance) => `${instance.app}#${instance.replica}`);
    const summary = summarize(generator.webhooks, ledger, faults, loadStartedAt);
    logUnaccounted(log, generator, ledger);
    process.stdout.write(`${summaryTable(summary)}\n`);
    if (crashed.length > 0)
      process.stdout.write(`service instances that exited: ${crashed.join(', ')}\n`);
    const cpu = cpus();
    process.stdout.write(
      `${JSON.stringify({
        ...summary,
        service_exits: crashed,
        liveness_restarts: fleet.livenessRestarts,
        ledger_refollows: ledger.refollows,
        run: {
          date: new Date(loadStartedAt).toISOString(),
          mode: options.smoke ? 'smoke' : 'full',
          rate: options.rate,
          nodes: options.nodes,
          instances: options.instances,
          duration_s: durationS,
          warmup_s: options.warmupS,
          retry_compression: options.retryCompression,
          machine: `${cpu.length} x ${cpu[0]?.model.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}`,
          // The machine's 1-minute load average as the load started and ended: others' work shows here.
          load_average: [loadAverageAtStart, loadAverageAtEnd].map((n) => Math.round(n * 10) / 10),
        },
      })}\n`,
    );
    const accounted = summary.lost === 0 && summary.acknowledged_not_in_raw === 0;
    return accounted && crashed.length === 0 ? 0 : 1;
  } finally {
    await ledger?.stop().catch(() => undefined);
    await fleet?.stop();
    if (options.keepCluster) log(`cluster left running on ${cluster.brokers.join(',')}`);
    else await cluster.down();
  }
}

async function main(): Promise<number> {
  let options: ChaosOptions | undefined;
  try {
    options = parseChaosArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return 2;
  }
  if (!options) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  return run(options);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `chaos: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
