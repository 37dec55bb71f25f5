import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createKafka } from '@crm/kafka';
import { TOOL_DIR, newClusterId, serverProperties, type BrokerPaths } from './broker-config.js';
import { isAlive, readPid } from './process-control.js';

const JVM_OPTS = ['-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Djava.awt.headless=true'];

/** The single broker's heap; a node of a three-node cluster gets less (cluster.ts). */
export const SINGLE_NODE_MAX_HEAP = '512m';

export function javaArgs(
  paths: Pick<BrokerPaths, 'jarDir'>,
  mainClass: string,
  args: string[],
  maxHeap = SINGLE_NODE_MAX_HEAP,
): string[] {
  return [
    '-Xms128m',
    `-Xmx${maxHeap}`,
    ...JVM_OPTS,
    `-Dlog4j2.configurationFile=${join(TOOL_DIR, 'log4j2.properties')}`,
    '-cp',
    `${paths.jarDir}/*`,
    mainClass,
    ...args,
  ];
}

/** Writes server.properties and formats the log dir once (KRaft, standalone dynamic quorum). */
export function prepareStorage(paths: BrokerPaths): void {
  mkdirSync(paths.dataDir, { recursive: true });
  writeFileSync(paths.propertiesFile, serverProperties(paths));
  if (existsSync(join(paths.logDir, 'meta.properties'))) return;
  const format = spawnSync(
    'java',
    javaArgs(paths, 'kafka.tools.StorageTool', [
      'format',
      '--standalone',
      '-t',
      newClusterId(),
      '-c',
      paths.propertiesFile,
      '--ignore-formatted',
    ]),
    { encoding: 'utf8' },
  );
  if (format.status !== 0) {
    throw new Error(`formatting ${paths.logDir} failed:\n${format.stdout}${format.stderr}`);
  }
}

/** Starts the broker detached from this process (it outlives `kafka:up`) and records its pid. */
export function launch(paths: BrokerPaths, maxHeap = SINGLE_NODE_MAX_HEAP): number {
  const log = openSync(paths.brokerLog, 'a');
  const child = spawn('java', javaArgs(paths, 'kafka.Kafka', [paths.propertiesFile], maxHeap), {
    detached: true,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  if (child.pid === undefined) throw new Error('java did not start');
  child.unref();
  writeFileSync(paths.pidFile, String(child.pid));
  return child.pid;
}

export function runningPid(paths: BrokerPaths): number | undefined {
  const pid = readPid(paths.pidFile);
  return pid !== undefined && isAlive(pid) ? pid : undefined;
}

export function logTail(paths: Pick<BrokerPaths, 'brokerLog'>): string {
  if (!existsSync(paths.brokerLog)) return '(no broker log)';
  return readFileSync(paths.brokerLog, 'utf8').split('\n').slice(-30).join('\n');
}

/** Polls with a metadata request until the broker answers, failing fast if the JVM exits. */
export async function waitUntilReady(
  brokers: string[],
  pid: number | undefined,
  paths: BrokerPaths,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const kafka = createKafka(
    {
      clientId: 'kafka-up',
      brokers,
      connectionTimeout: 1_000,
      requestTimeout: 5_000,
      retry: { retries: 0 },
    },
    () => undefined,
  );
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (pid !== undefined && !isAlive(pid)) {
      throw new Error(
        `the broker exited during start-up; last lines of ${paths.brokerLog}:\n${logTail(paths)}`,
      );
    }
    const admin = kafka.admin();
    try {
      await admin.connect();
      await admin.describeCluster();
      // Also wait for the group coordinator (__consumer_offsets loaded), so the first consumer joins cleanly.
      await admin.describeGroups(['kafka-up-readiness-probe']);
      return;
    } catch (error) {
      lastError = error;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const reason = lastError instanceof Error ? lastError.message : String(lastError);
  throw new Error(`the broker did not answer metadata requests within ${timeoutMs} ms (${reason})`);
}
