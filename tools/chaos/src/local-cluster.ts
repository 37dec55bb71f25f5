import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createKafka } from '@crm/kafka';
import { waitFor } from '@crm/testing';
import type { ClusterControl } from './fault-schedule.js';

/**
 * Whether `pid` runs. A zombie does not: a container's pid 1 need not reap the
 * JVMs `kafka:up` detached, and signal 0 still reaches a zombie. Where /proc
 * tells, the process must also have been started on `nodeDir` (a stale pid
 * file may name a pid reused by another process).
 */
function isNodeProcess(pid: number, nodeDir: string): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (!existsSync('/proc/self/stat')) return true;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // `pid (comm) state ...`: comm may hold spaces and parentheses, the state follows the last ')'.
    if (stat.charAt(stat.lastIndexOf(')') + 2) === 'Z') return false;
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(nodeDir);
  } catch {
    return false;
  }
}

/**
 * The run's own KRaft cluster of three nodes (or one), through `npm run kafka:up -- --nodes N`
 * (tools/kafka) on ports of its own and a data dir of its own: node i serves
 * clients on port + 2i. A fault signals a node's JVM by the pid file
 * tools/kafka keeps; starting a node again is `kafka:up` again, which starts
 * the nodes that are down and returns once every partition has its full ISR.
 * A node found dead (killed, stopped, or a zombie) loses its pid file, so
 * that `kafka:up` does not take a zombie's pid for a running node.
 */
export class LocalCluster implements ClusterControl {
  readonly nodes: number[];
  readonly brokers: string[];
  private readonly env: NodeJS.ProcessEnv;

  private constructor(
    private readonly root: string,
    private readonly port: number,
    private readonly dataDir: string,
    private readonly log: (line: string) => void,
    private readonly count: 1 | 3,
  ) {
    this.nodes = Array.from({ length: count }, (_, index) => index);
    this.brokers = this.nodes.map((node) => `127.0.0.1:${port + 2 * node}`);
    this.env = {
      ...process.env,
      KAFKA_PORT: String(port),
      // A cluster keeps each node in <dir>/<port>, a single broker in the dir itself: the same place.
      KAFKA_DATA_DIR: count === 1 ? this.nodeDir(0) : dataDir,
      KAFKA_NODES: String(count),
    };
    delete this.env['KAFKA_BROKERS'];
    delete this.env['KAFKA_CONTROLLER_PORT'];
  }

  /** A fresh cluster: whatever an interrupted run left on these ports is stopped and wiped first. */
  static async up(
    root: string,
    port: number,
    log: (line: string) => void,
    nodes: 1 | 3 = 3,
  ): Promise<LocalCluster> {
    const cluster = new LocalCluster(root, port, join(root, '.kafka', `chaos-${port}`), log, nodes);
    await cluster.down();
    log(`starting a ${nodes}-node Kafka cluster on ${cluster.brokers.join(',')}`);
    await cluster.kafkaTool('up');
    return cluster;
  }

  async leaderOf(topic: string, partition: number): Promise<number> {
    const admin = createKafka({ clientId: 'chaos-admin', brokers: this.brokers }).admin();
    await admin.connect();
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
      const leader = metadata.topics[0]?.partitions.find(
        (p) => p.partitionId === partition,
      )?.leader;
      if (leader === undefined || leader < 1)
        throw new Error(`${topic}[${partition}] has no leader`);
      return leader - 1; // node.id is 1-based
    } finally {
      await admin.disconnect();
    }
  }

  signal(node: number, signal: 'SIGSTOP' | 'SIGCONT'): void {
    const pid = this.runningPid(node);
    if (pid !== undefined) process.kill(pid, signal);
  }

  kill(node: number): Promise<void> {
    return this.end(node, 'SIGKILL', 10_000);
  }

  stop(node: number): Promise<void> {
    return this.end(node, 'SIGTERM', 60_000);
  }

  async startAll(): Promise<void> {
    try {
      await this.kafkaTool('up');
    } catch (error) {
      this.log(
        `kafka:up failed once (${error instanceof Error ? error.message : String(error)}); again`,
      );
      await this.kafkaTool('up');
    }
  }

  /** Stops every node and removes the run's data (so kill -9 will do: nothing is kept). */
  async down(): Promise<void> {
    await Promise.all(this.nodes.map((node) => this.kill(node)));
    await this.kafkaTool('down');
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** Signals the node, waits until its process is gone, and removes its pid file. */
  private async end(node: number, signal: 'SIGKILL' | 'SIGTERM', timeoutMs: number): Promise<void> {
    const pid = this.runningPid(node);
    if (pid !== undefined) {
      // A SIGSTOPped node would not act on SIGTERM.
      process.kill(pid, 'SIGCONT');
      process.kill(pid, signal);
      await waitFor(() => !isNodeProcess(pid, this.nodeDir(node)), {
        timeoutMs,
        intervalMs: 100,
        description: `node ${node} (pid ${pid}) to exit after ${signal}`,
      });
    }
    rmSync(this.pidFile(node), { force: true });
  }

  private nodeDir(node: number): string {
    return join(this.dataDir, String(this.port + 2 * node));
  }

  private pidFile(node: number): string {
    return join(this.nodeDir(node), 'broker.pid');
  }

  /** The node's JVM as its pid file names it, if that runs. */
  private runningPid(node: number): number | undefined {
    try {
      const pid = Number(readFileSync(this.pidFile(node), 'utf8').trim());
      return Number.isInteger(pid) && pid > 0 && isNodeProcess(pid, this.nodeDir(node))
        ? pid
        : undefined;
    } catch {
      return undefined;
    }
  }

  private async kafkaTool(command: 'up' | 'down'): Promise<void> {
    const child = spawn(
      join(this.root, 'node_modules/.bin/tsx'),
      [
        '--tsconfig',
        'tsconfig.base.json',
        '--conditions=@crm/source',
        'tools/kafka/src/main.ts',
        command,
        '--nodes',
        String(this.count),
      ],
      { cwd: this.root, env: this.env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n'))
        if (line.trim() !== '') this.log(line.trim());
    });
    child.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    const [code] = (await once(child, 'exit')) as [number | null];
    if (code !== 0)
      throw new Error(`kafka:${command} --nodes ${this.count} failed (exit ${String(code)})`);
  }
}
