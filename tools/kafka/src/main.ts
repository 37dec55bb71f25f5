import { PRODUCTION_REPLICATION, TOPIC_SPECS, type TopicReplication } from '@crm/contracts';
import { createKafka, ensureTopics, parseBrokers } from '@crm/kafka';
import { brokerPaths } from './broker-config.js';
import { launch, prepareStorage, runningPid, waitUntilReady } from './broker.js';
import { UsageError, parseArgs } from './cli-args.js';
import {
  clusterOwning,
  downCluster,
  recordedCluster,
  upCluster,
  waitForProjectTopicsIsr,
} from './cluster-commands.js';
import { clusterNodes } from './cluster-config.js';
import { stopNode } from './cluster.js';
import { ensureJars, kafkaVersion } from './jars.js';
import { MissingPrerequisiteError, requireJava17 } from './prerequisites.js';
import { stopPidFile } from './process-control.js';

const READY_TIMEOUT_MS = 90_000;

/** One node keeps today's single copies; several get the production profile. */
function replicationFor(nodes: number): TopicReplication | number {
  return nodes > 1 ? PRODUCTION_REPLICATION : 1;
}

/**
 * A node just started can be registered before it listens, and the metadata
 * then sends the topic requests its way: in a cluster, they are tried again
 * until the node answers (within READY_TIMEOUT_MS).
 */
async function retried<T>(work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    try {
      return await work();
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await new Promise((wait) => setTimeout(wait, 500));
    }
  }
}

async function createProjectTopics(
  brokers: string[],
  replication: TopicReplication | number,
): Promise<void> {
  const admin = createKafka({ clientId: 'kafka-up', brokers }).admin();
  await admin.connect();
  try {
    const { created, existing, drifted } = await ensureTopics(admin, TOPIC_SPECS, replication);
    process.stdout.write(
      `kafka: topics created ${created.length}, already present ${existing.length}\n`,
    );
    for (const drift of drifted) {
      process.stdout.write(`kafka: warning: topic differs from libs/contracts: ${drift}\n`);
    }
  } finally {
    await admin.disconnect();
  }
}

async function upSingle(): Promise<string[]> {
  requireJava17();
  const version = kafkaVersion();
  const paths = brokerPaths(version);
  const owner = clusterOwning(paths);
  if (owner) {
    throw new Error(
      `${paths.dataDir} is node 1 of a ${owner.nodes.length}-node cluster: start it with npm run kafka:up -- --nodes ${owner.nodes.length} (or kafka:down, then delete its node dirs and cluster file)`,
    );
  }
  const brokers = [`127.0.0.1:${paths.port}`];
  let pid = runningPid(paths);
  if (pid !== undefined) {
    process.stdout.write(`kafka: already running (pid ${pid}) on ${brokers[0]}\n`);
  } else {
    ensureJars(paths.jarDir);
    prepareStorage(paths);
    pid = launch(paths);
    process.stdout.write(
      `kafka: started Apache Kafka ${version} (KRaft, pid ${pid}), data in ${paths.dataDir}\n`,
    );
  }
  await waitUntilReady(brokers, pid, paths, READY_TIMEOUT_MS);
  return brokers;
}

async function up(nodes: number): Promise<void> {
  const started = process.hrtime.bigint();
  const replication = replicationFor(nodes);
  const external = process.env['KAFKA_BROKERS'];
  if (external) {
    const brokers = parseBrokers(external);
    process.stdout.write(
      `kafka: KAFKA_BROKERS is set, using ${brokers.join(',')} (nothing started)\n`,
    );
    await waitUntilReady(brokers, undefined, brokerPaths(kafkaVersion()), READY_TIMEOUT_MS);
    await createProjectTopics(brokers, replication);
    if (nodes > 1) await waitForProjectTopicsIsr(brokers, nodes, READY_TIMEOUT_MS);
    return;
  }
  let brokers: string[];
  if (nodes === 1) {
    brokers = await upSingle();
    await createProjectTopics(brokers, replication);
  } else {
    requireJava17();
    brokers = await upCluster(nodes, kafkaVersion(), READY_TIMEOUT_MS);
    await retried(() => createProjectTopics(brokers, replication));
    await waitForProjectTopicsIsr(brokers, nodes, READY_TIMEOUT_MS);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stdout.write(`kafka: ready on ${brokers.join(',')} in ${seconds.toFixed(1)} s\n`);
}

async function down(nodes: number, nodesGiven: boolean): Promise<void> {
  if (process.env['KAFKA_BROKERS']) {
    process.stdout.write(
      'kafka: KAFKA_BROKERS is set, nothing was started here, nothing to stop\n',
    );
    return;
  }
  const version = kafkaVersion();
  const paths = brokerPaths(version);
  const record = recordedCluster(paths);
  if (record) return downCluster(record);
  if (nodesGiven && nodes > 1) {
    // No cluster file (deleted?): stop whatever runs from the node dirs the layout names.
    const stopped = await Promise.all(clusterNodes(nodes, version).map((node) => stopNode(node)));
    process.stdout.write(
      `kafka: stopped ${stopped.filter((outcome) => outcome === 'stopped').length} of ${nodes} nodes\n`,
    );
    return;
  }
  const outcome = await stopPidFile(paths.pidFile);
  process.stdout.write(
    outcome === 'stopped'
      ? `kafka: stopped broker on port ${paths.port}\n`
      : `kafka: no broker running on port ${paths.port}\n`,
  );
}

const USAGE = `usage: npm run kafka:up [-- --nodes 1|3] | npm run kafka:down   (tools/kafka/src/main.ts up|down)
  up: starts a local broker (KRaft) unless one runs, creates the project's topics
      --nodes 3 (or KAFKA_NODES=3): three broker+controller nodes on 127.0.0.1, clients on
      KAFKA_PORT, +2, +4 (controllers on the port after each), data in .kafka/<port>; topics
      get replication factor 3 and min.insync.replicas 2; ready once every partition has a full ISR
  down: stops the broker, or every node of the cluster, kafka:up started (--nodes is accepted, not needed)
  env: KAFKA_PORT, KAFKA_CONTROLLER_PORT, KAFKA_DATA_DIR (with --nodes 3: the dir holding the node dirs),
       KAFKA_NODES, KAFKA_BROKERS (set: use it, start nothing)`;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  let command;
  try {
    command = parseArgs(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  if (command.kind === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (command.kind === 'up') return up(command.nodes);
  return down(command.nodes, command.nodesGiven);
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(
    `kafka: ${error instanceof MissingPrerequisiteError ? 'missing prerequisite: ' : ''}${message}\n`,
  );
  process.exit(1);
});
