import { rmSync } from 'node:fs';
import { createKafka, type Admin } from '@crm/kafka';
import { launch, logTail, runningPid } from './broker.js';
import { type ClusterNode } from './cluster-config.js';
import { prepareClusterStorage } from './cluster-storage.js';
import { ensureJars } from './jars.js';
import { isAlive, readPid, stopPidFile } from './process-control.js';

export {
  bootstrapServers,
  clusterFilePath,
  clusterNodes,
  type ClusterNode,
} from './cluster-config.js';

/**
 * Heap of each node of a three-node cluster: three of them run beside a dozen
 * Node processes on a 2-core, 24 GiB machine.
 */
export const CLUSTER_NODE_MAX_HEAP = '384m';

/** One partition as the cluster's metadata describes it (broker ids are node ids). */
export interface PartitionState {
  readonly topic: string;
  readonly partition: number;
  /** The leader's node id, -1 while the partition has none. */
  readonly leader: number;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
}

async function withAdmin<T>(
  brokers: readonly string[],
  work: (admin: Admin) => Promise<T>,
): Promise<T> {
  const kafka = createKafka(
    {
      clientId: 'kafka-cluster',
      brokers: [...brokers],
      connectionTimeout: 1_000,
      requestTimeout: 5_000,
      // A stopped or paused node in the list: move on to another seed broker.
      retry: { retries: 4, initialRetryTime: 100, maxRetryTime: 1_000 },
    },
    () => undefined,
  );
  const admin = kafka.admin();
  try {
    await admin.connect();
    return await work(admin);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Ends a {@link poll} at once: waiting longer cannot help. */
class NodeExitedError extends Error {}

async function poll<T>(
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  describe: (last: unknown) => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      if (error instanceof NodeExitedError) throw error;
      last = error;
    }
    if (Date.now() >= deadline) throw new Error(describe(last));
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Every partition of `topics`, with leader, replicas and in-sync replicas. */
export function partitionStates(
  brokers: readonly string[],
  topics: readonly string[],
): Promise<PartitionState[]> {
  return withAdmin(brokers, async (admin) => {
    const metadata = await admin.fetchTopicMetadata({ topics: [...topics] });
    return metadata.topics.flatMap((topic) =>
      topic.partitions.map((partition) => ({
        topic: topic.name,
        partition: partition.partitionId,
        leader: partition.leader,
        replicas: partition.replicas,
        isr: partition.isr,
      })),
    );
  });
}

/** The node id leading `topic`/`partition`, or -1 while it has no leader. */
export async function leaderOf(
  brokers: readonly string[],
  topic: string,
  partition: number,
): Promise<number> {
  const states = await partitionStates(brokers, [topic]);
  const state = states.find((candidate) => candidate.partition === partition);
  if (!state) throw new Error(`${topic} has no partition ${partition}`);
  return state.leader;
}

function fullyReplicated(state: PartitionState, replicationFactor: number): boolean {
  return (
    state.leader >= 0 &&
    state.replicas.length >= replicationFactor &&
    state.replicas.every((replica) => state.isr.includes(replica))
  );
}

/**
 * Waits until every partition of `topics` has a leader and all its replicas
 * (at least `replicationFactor` of them) in sync; rejects after `timeoutMs`
 * naming the partitions still behind. It trusts the cluster metadata: right
 * after a kill -9 the dead node still counts as in sync until the controller
 * fences it (broker.session.timeout.ms, 9 s), so after a crash first wait for
 * the ISR to shrink (see {@link partitionStates}), then for it to be full again.
 */
export async function waitForFullIsr(
  brokers: readonly string[],
  topics: readonly string[],
  timeoutMs: number,
  replicationFactor = 3,
): Promise<void> {
  let behind: PartitionState[] = [];
  await poll(
    async () => {
      const states = await partitionStates(brokers, topics);
      behind = states.filter((state) => !fullyReplicated(state, replicationFactor));
      const complete = new Set(states.map((state) => state.topic)).size === topics.length;
      return complete && behind.length === 0 ? true : undefined;
    },
    timeoutMs,
    (last) => {
      const lagging = behind
        .slice(0, 5)
        .map(
          (s) =>
            `${s.topic}[${s.partition}] leader ${s.leader} isr ${s.isr.join(',')}/${s.replicas.join(',')}`,
        );
      const reason = last instanceof Error ? ` (last error: ${last.message})` : '';
      return `partitions without a full ISR after ${timeoutMs} ms: ${lagging.join('; ') || 'metadata incomplete'}${reason}`;
    },
  );
}

/**
 * Starts one node, detached (it outlives the caller), unless it is running;
 * returns its pid. Its storage must exist: {@link startCluster} prepares it.
 */
export function startNode(node: ClusterNode): { pid: number; started: boolean } {
  const running = runningPid(node);
  if (running !== undefined) return { pid: running, started: false };
  return { pid: launch(node, CLUSTER_NODE_MAX_HEAP), started: true };
}

async function waitUntilExited(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

/**
 * Stops one node and waits until its process is gone. SIGTERM is a controlled
 * shutdown (leadership moves first; SIGKILL after `graceMs`); SIGKILL is a crash.
 */
export async function stopNode(
  node: Pick<ClusterNode, 'nodeId' | 'pidFile'>,
  signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM',
  graceMs = 20_000,
): Promise<'stopped' | 'not-running'> {
  const pid = readPid(node.pidFile);
  if (pid === undefined || !isAlive(pid)) {
    rmSync(node.pidFile, { force: true });
    return 'not-running';
  }
  // A paused node would never act on SIGTERM.
  process.kill(pid, 'SIGCONT');
  if (signal === 'SIGTERM') return stopPidFile(node.pidFile, graceMs);
  process.kill(pid, 'SIGKILL');
  if (!(await waitUntilExited(pid, 10_000)))
    throw new Error(`node ${node.nodeId} (pid ${pid}) survived SIGKILL`);
  rmSync(node.pidFile, { force: true });
  return 'stopped';
}

function signalNode(node: ClusterNode, signal: 'SIGSTOP' | 'SIGCONT'): number {
  const pid = runningPid(node);
  if (pid === undefined) throw new Error(`node ${node.nodeId} (port ${node.port}) is not running`);
  process.kill(pid, signal);
  return pid;
}

/** Freezes a node (SIGSTOP): it keeps its sockets but answers nothing, like a long GC pause. */
export function pauseNode(node: ClusterNode): number {
  return signalNode(node, 'SIGSTOP');
}

/** Thaws a node frozen by {@link pauseNode} (SIGCONT). */
export function resumeNode(node: ClusterNode): number {
  return signalNode(node, 'SIGCONT');
}

/**
 * Waits until every node is registered with the quorum (so topics with RF =
 * node count can be created) and a group coordinator answers, failing fast
 * with its log tail if a node's JVM exits.
 */
export async function waitForNodes(
  nodes: readonly ClusterNode[],
  brokers: readonly string[],
  timeoutMs: number,
): Promise<void> {
  await poll(
    async () => {
      for (const node of nodes) {
        if (runningPid(node) === undefined)
          throw new NodeExitedError(
            `node ${node.nodeId} (port ${node.port}) exited; last lines of ${node.brokerLog}:\n${logTail(node)}`,
          );
      }
      return withAdmin(brokers, async (admin) => {
        const { brokers: registered } = await admin.describeCluster();
        if (registered.length < nodes.length) return undefined;
        await admin.describeGroups(['kafka-up-readiness-probe']);
        return true;
      });
    },
    timeoutMs,
    (last) =>
      `the cluster did not register ${nodes.length} brokers within ${timeoutMs} ms (${last instanceof Error ? last.message : String(last)})`,
  );
}

/**
 * Fetches the broker jars if needed, formats the dirs not formatted yet (one
 * cluster id; recorded in the cluster file), starts the nodes not running and
 * waits until all are registered. Returns the pids and which nodes it started.
 */
export async function startCluster(
  nodes: readonly ClusterNode[],
  brokers: readonly string[],
  timeoutMs: number,
): Promise<{ pid: number; started: boolean }[]> {
  const [first] = nodes;
  if (first) ensureJars(first.jarDir);
  await prepareClusterStorage(nodes);
  const results = nodes.map((node) => startNode(node));
  await waitForNodes(nodes, brokers, timeoutMs);
  return results;
}

/** Stops every node (controlled shutdowns, all at once) and waits until each process is gone. */
export function stopCluster(nodes: readonly ClusterNode[]): Promise<('stopped' | 'not-running')[]> {
  return Promise.all(nodes.map((node) => stopNode(node, 'SIGTERM')));
}
