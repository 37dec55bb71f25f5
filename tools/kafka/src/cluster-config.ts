import { dirname, join, resolve } from 'node:path';
import { REPO_ROOT, TOOL_DIR, type BrokerPaths } from './broker-config.js';

/** Node counts `kafka:up --nodes` accepts: one node (the default) or a three-voter quorum. */
export const NODE_COUNTS = [1, 3] as const;
export type NodeCount = (typeof NODE_COUNTS)[number];

/** One combined broker+controller of a local cluster, with its files. */
export interface ClusterNode extends BrokerPaths {
  /** `node.id`, 1-based. */
  readonly nodeId: number;
  /** `controller.quorum.bootstrap.servers`: every controller of the cluster. */
  readonly quorumBootstrap: string;
}

function portFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new Error(`${name}="${raw}" is not a TCP port`);
  return port;
}

/** The dir holding a cluster's node dirs and its cluster file: KAFKA_DATA_DIR, or .kafka. */
export function clusterRoot(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env['KAFKA_DATA_DIR'] ?? join(REPO_ROOT, '.kafka'));
}

/**
 * The nodes of a local cluster: node i (0-based) listens for clients on
 * KAFKA_PORT + 2i and for the controller quorum on the port after it, with its
 * data in <KAFKA_DATA_DIR or .kafka>/<client port>. With the default 9092 that
 * is 9092/9093, 9094/9095 and 9096/9097. The controller port is always the
 * client port + 1: a KAFKA_CONTROLLER_PORT saying otherwise is refused.
 */
export function clusterNodes(
  count: number,
  kafkaVersion: string,
  env: NodeJS.ProcessEnv = process.env,
): ClusterNode[] {
  const base = portFromEnv(env, 'KAFKA_PORT', 9092);
  if (base + 2 * count - 1 > 65535)
    throw new Error(`KAFKA_PORT=${base} leaves no room for ${count} nodes`);
  const controllerPort = portFromEnv(env, 'KAFKA_CONTROLLER_PORT', base + 1);
  if (controllerPort !== base + 1)
    throw new Error(
      `KAFKA_CONTROLLER_PORT=${controllerPort}: with several nodes each controller port is the node's client port + 1 (${base + 1} for the first)`,
    );
  const root = clusterRoot(env);
  const ports = Array.from({ length: count }, (_, index) => base + 2 * index);
  const quorumBootstrap = ports.map((port) => `127.0.0.1:${port + 1}`).join(',');
  return ports.map((port, index) => {
    const dataDir = join(root, String(port));
    return {
      nodeId: index + 1,
      port,
      controllerPort: port + 1,
      quorumBootstrap,
      dataDir,
      logDir: join(dataDir, 'logs'),
      pidFile: join(dataDir, 'broker.pid'),
      propertiesFile: join(dataDir, 'server.properties'),
      brokerLog: join(dataDir, 'broker.log'),
      jarDir: join(TOOL_DIR, '.cache', `kafka-${kafkaVersion}`),
    };
  });
}

/**
 * Where `kafka:up --nodes N` records the cluster it formatted and started
 * (beside the first node's data dir), so `kafka:down` stops all of its nodes.
 */
export function clusterFilePath(firstNodeDataDir: string, firstNodePort: number): string {
  return join(dirname(firstNodeDataDir), `cluster-${firstNodePort}.json`);
}

/** The client bootstrap list, `127.0.0.1:a,127.0.0.1:b,…`. */
export function bootstrapServers(nodes: readonly Pick<ClusterNode, 'port'>[]): string[] {
  return nodes.map((node) => `127.0.0.1:${node.port}`);
}

/**
 * `--initial-controllers` of `kafka-storage format` (a KIP-853 dynamic quorum):
 * `id@host:controllerPort:directoryId` for every node, the same on all of them.
 */
export function initialControllers(
  nodes: readonly Pick<ClusterNode, 'nodeId' | 'controllerPort'>[],
  directoryIds: ReadonlyMap<number, string>,
): string {
  return nodes
    .map((node) => {
      const directoryId = directoryIds.get(node.nodeId);
      if (directoryId === undefined) throw new Error(`no directory id for node ${node.nodeId}`);
      return `${node.nodeId}@127.0.0.1:${node.controllerPort}:${directoryId}`;
    })
    .join(',');
}

/**
 * A combined broker+controller of a three-node quorum, replicated like
 * production (RF 3, min.insync.replicas 2, no unclean elections), tuned to be
 * small and to notice a lost follower within 10 s.
 */
export function clusterServerProperties(node: ClusterNode): string {
  const lines = [
    'process.roles=broker,controller',
    `node.id=${node.nodeId}`,
    `listeners=PLAINTEXT://127.0.0.1:${node.port},CONTROLLER://127.0.0.1:${node.controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${node.port},CONTROLLER://127.0.0.1:${node.controllerPort}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    `controller.quorum.bootstrap.servers=${node.quorumBootstrap}`,
    `log.dirs=${node.logDir}`,
    'num.partitions=3',
    'default.replication.factor=3',
    'min.insync.replicas=2',
    'unclean.leader.election.enable=false',
    'replica.lag.time.max.ms=10000',
    'offsets.topic.replication.factor=3',
    'offsets.topic.num.partitions=10',
    'transaction.state.log.replication.factor=3',
    'transaction.state.log.min.isr=2',
    'share.coordinator.state.topic.replication.factor=3',
    'share.coordinator.state.topic.min.isr=2',
    'group.initial.rebalance.delay.ms=0',
    'auto.create.topics.enable=false',
    'delete.topic.enable=true',
    'log.segment.bytes=67108864',
    'log.retention.check.interval.ms=300000',
    'num.network.threads=2',
    'num.io.threads=2',
    'num.replica.fetchers=1',
  ];
  return `${lines.join('\n')}\n`;
}
