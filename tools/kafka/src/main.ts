import { TOPIC_SPECS } from '@crm/contracts';
import { createKafka, ensureTopics, parseBrokers } from '@crm/kafka';
import { brokerPaths } from './broker-config.js';
import { launch, prepareStorage, runningPid, waitUntilReady } from './broker.js';
import { ensureJars, kafkaVersion } from './jars.js';
import { MissingPrerequisiteError, requireJava17 } from './prerequisites.js';
import { stopPidFile } from './process-control.js';

const READY_TIMEOUT_MS = 90_000;

async function createProjectTopics(brokers: string[]): Promise<void> {
  const admin = createKafka({ clientId: 'kafka-up', brokers }).admin();
  await admin.connect();
  try {
    const { created, existing, drifted } = await ensureTopics(admin, TOPIC_SPECS);
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

async function up(): Promise<void> {
  const started = process.hrtime.bigint();
  const external = process.env['KAFKA_BROKERS'];
  if (external) {
    const brokers = parseBrokers(external);
    process.stdout.write(
      `kafka: KAFKA_BROKERS is set, using ${brokers.join(',')} (nothing started)\n`,
    );
    await waitUntilReady(brokers, undefined, brokerPaths(kafkaVersion()), READY_TIMEOUT_MS);
    await createProjectTopics(brokers);
    return;
  }
  requireJava17();
  const version = kafkaVersion();
  const paths = brokerPaths(version);
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
  await createProjectTopics(brokers);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stdout.write(`kafka: ready on ${brokers[0]} in ${seconds.toFixed(1)} s\n`);
}

async function down(): Promise<void> {
  if (process.env['KAFKA_BROKERS']) {
    process.stdout.write(
      'kafka: KAFKA_BROKERS is set, nothing was started here, nothing to stop\n',
    );
    return;
  }
  const paths = brokerPaths(kafkaVersion());
  const outcome = await stopPidFile(paths.pidFile);
  process.stdout.write(
    outcome === 'stopped'
      ? `kafka: stopped broker on port ${paths.port}\n`
      : `kafka: no broker running on port ${paths.port}\n`,
  );
}

const USAGE = `usage: npm run kafka:up | npm run kafka:down   (tools/kafka/src/main.ts up|down)
  up: starts a local single-node broker (KRaft) unless one runs, creates the project's topics
  down: stops the broker kafka:up started
  env: KAFKA_PORT, KAFKA_CONTROLLER_PORT, KAFKA_DATA_DIR, KAFKA_BROKERS (set: use it, start nothing)`;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const [command, ...extra] = args;
  if (extra.length === 0 && command === 'up') return up();
  if (extra.length === 0 && command === 'down') return down();
  process.stderr.write(`unexpected arguments ${JSON.stringify(args)}\n${USAGE}\n`);
  process.exitCode = 2;
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(
    `kafka: ${error instanceof MissingPrerequisiteError ? 'missing prerequisite: ' : ''}${message}\n`,
  );
  process.exit(1);
});
