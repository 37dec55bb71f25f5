import { join } from 'node:path';
import { TOPIC_SPECS } from '@crm/contracts';
import type { BrokerPaths } from './broker-config.js';
import { clusterFilePath, clusterRoot } from './cluster-config.js';
import { readClusterRecord, type ClusterRecord } from './cluster-storage.js';
import {
  bootstrapServers,
  clusterNodes,
  startCluster,
  stopNode,
  waitForFullIsr,
} from './cluster.js';

/** `kafka:up --nodes N` (N > 1): starts what is not running, then waits for the quorum. */
export async function upCluster(
  count: number,
  version: string,
  timeoutMs: number,
): Promise<string[]> {
  const nodes = clusterNodes(count, version);
  const brokers = bootstrapServers(nodes);
  const results = await startCluster(nodes, brokers, timeoutMs);
  nodes.forEach((node, index) => {
    const result = results[index];
    if (!result) return;
    process.stdout.write(
      result.started
        ? `kafka: started node ${node.nodeId} of ${count} (Apache Kafka ${version}, KRaft, pid ${result.pid}) on 127.0.0.1:${node.port}, data in ${node.dataDir}\n`
        : `kafka: node ${node.nodeId} of ${count} already running (pid ${result.pid}) on 127.0.0.1:${node.port}\n`,
    );
  });
  return brokers;
}

/** After topics exist: every partition of every project topic replicated to all nodes. */
export function waitForProjectTopicsIsr(
  brokers: readonly string[],
  replicationFactor: number,
  timeoutMs: number,
): Promise<void> {
  const topics = TOPIC_SPECS.map((spec) => spec.name);
  return waitForFullIsr(brokers, topics, timeoutMs, replicationFactor);
}

/**
 * The cluster `kafka:down` should stop: the one recorded under KAFKA_DATA_DIR
 * (or .kafka) for KAFKA_PORT, or the one a single-node data dir belongs to.
 */
export function recordedCluster(single: BrokerPaths): ClusterRecord | undefined {
  const asRoot = readClusterRecord(join(clusterRoot(), `cluster-${single.port}.json`));
  if (asRoot) return asRoot;
  return clusterOwning(single);
}

/** The cluster whose node dir a single-node `kafka:up` would take over, if any. */
export function clusterOwning(single: BrokerPaths): ClusterRecord | undefined {
  const record = readClusterRecord(clusterFilePath(single.dataDir, single.port));
  return record?.nodes.some((node) => node.dataDir === single.dataDir) ? record : undefined;
}

/** Stops every node of a recorded cluster (controlled shutdowns, all at once). */
export async function downCluster(record: ClusterRecord): Promise<void> {
  const outcomes = await Promise.all(
    record.nodes.map((node) =>
      stopNode({ nodeId: node.nodeId, pidFile: join(node.dataDir, 'broker.pid') }),
    ),
  );
  record.nodes.forEach((node, index) => {
    process.stdout.write(
      outcomes[index] === 'stopped'
        ? `kafka: stopped node ${node.nodeId} on port ${node.port}\n`
        : `kafka: node ${node.nodeId} on port ${node.port} was not running\n`,
    );
  });
}
