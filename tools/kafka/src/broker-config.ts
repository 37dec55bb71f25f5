import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TOOL_DIR = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
export const REPO_ROOT = resolve(TOOL_DIR, '../..');

export interface BrokerPaths {
  readonly port: number;
  readonly controllerPort: number;
  readonly dataDir: string;
  readonly logDir: string;
  readonly pidFile: string;
  readonly propertiesFile: string;
  readonly brokerLog: string;
  readonly jarDir: string;
}

function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new Error(`${name}="${raw}" is not a TCP port`);
  return port;
}

/** Everything lives under .kafka/<port> (git-ignored), so two brokers on different ports never collide. */
export function brokerPaths(kafkaVersion: string): BrokerPaths {
  const port = portFromEnv('KAFKA_PORT', 9092);
  const controllerPort = portFromEnv('KAFKA_CONTROLLER_PORT', port + 1);
  const dataDir = resolve(process.env['KAFKA_DATA_DIR'] ?? join(REPO_ROOT, '.kafka', String(port)));
  return {
    port,
    controllerPort,
    dataDir,
    logDir: join(dataDir, 'logs'),
    pidFile: join(dataDir, 'broker.pid'),
    propertiesFile: join(dataDir, 'server.properties'),
    brokerLog: join(dataDir, 'broker.log'),
    jarDir: join(TOOL_DIR, '.cache', `kafka-${kafkaVersion}`),
  };
}

/** A single combined broker+controller in KRaft mode, tuned for one machine and fast tests. */
export function serverProperties(paths: BrokerPaths): string {
  const lines = [
    'process.roles=broker,controller',
    'node.id=1',
    `listeners=PLAINTEXT://127.0.0.1:${paths.port},CONTROLLER://127.0.0.1:${paths.controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${paths.port}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    `controller.quorum.bootstrap.servers=127.0.0.1:${paths.controllerPort}`,
    `log.dirs=${paths.logDir}`,
    'num.partitions=3',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=10',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    'auto.create.topics.enable=false',
    'delete.topic.enable=true',
    'log.segment.bytes=67108864',
    'log.retention.check.interval.ms=300000',
    'num.network.threads=2',
    'num.io.threads=4',
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * Kafka cluster ids are 16 random bytes in unpadded base64url (22 characters).
 * Like Kafka's own Uuid.randomUuid, never one starting with '-': `kafka-storage
 * format -t -…` reads it as an option and fails (one start in 64 did).
 */
export function newClusterId(random: (size: number) => Buffer = randomBytes): string {
  for (;;) {
    const id = random(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}
