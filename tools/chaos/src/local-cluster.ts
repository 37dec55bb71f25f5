import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createKafka } from '@crm/kafka';
import { waitFor } from '@crm/testing';
import type { ClusterControl } from './fault-schedule.js';

const NODES = 3;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The run's own three-node KRaft cluster, through `npm run kafka:up -- --nodes 3`
 * (tools/kafka) on ports of its own and a data dir of its own: node i serves
 * clients on port + 2i. A fault signals a node's JVM by the pid file
 * tools/kafka keeps; starting a node again is `kafka:up` again, which starts
 * the nodes that are down and returns once every partition has its full ISR.
 */
export class LocalCluster implements ClusterControl {
  readonly nodes = Array.from({ length: NODES }, (_, index) => index);
  readonly brokers: string[];
  private readonly env: NodeJS.ProcessEnv;

  private constructor(
    private readonly root: string,
    private readonly port: number,
    private readonly dataDir: string,
    private readonly log: (line: string) => void,
  ) {
    this.brokers = this.nodes.map((node) => `127.0.0.1:${port + 2 * node}`);
    this.env = {
      ...process.env,
      KAFKA_PORT: String(port),
      KAFKA_DATA_DIR: dataDir,
      KAFKA_NODES: String(NODES),
    };
    delete this.env['KAFKA_BROKERS'];
    delete this.env['KAFKA_CONTROLLER_PORT'];
  }

  /** A fresh cluster: whatever an interrupted run left on these ports is stopped and wiped first. */
  static async up(root: string, port: number, log: (line: string) => void): Promise<LocalCluster> {
    const cluster = new LocalCluster(root, port, join(root, '.kafka', `chaos-${port}`), log);
    await cluster.down();
    log(`starting a ${NODES}-node Kafka cluster on ${cluster.brokers.join(',')}`);
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

  signal(node: number, signal: 'SIGKILL' | 'SIGSTOP' | 'SIGCONT'): void {
    const pid = this.pid(node);
    if (pid !== undefined) process.kill(pid, signal);
  }

  async stop(node: number): Promise<void> {
    const pid = this.pid(node);
    if (pid === undefined || !isAlive(pid)) return;
    process.kill(pid, 'SIGTERM');
    await waitFor(() => !isAlive(pid), {
      timeoutMs: 60_000,
      intervalMs: 100,
      description: `node ${node} (pid ${pid}) to exit`,
    });
  }

  async start(node: number): Promise<void> {
    const pid = this.pid(node);
    if (pid !== undefined && isAlive(pid)) return;
    try {
      await this.kafkaTool('up');
    } catch (error) {
      this.log(
        `kafka:up failed once (${error instanceof Error ? error.message : String(error)}); again`,
      );
      await this.kafkaTool('up');
    }
  }

  /** Stops every node and removes the run's data. */
  async down(): Promise<void> {
    // A node left SIGSTOPped by an interrupted run would never see the SIGTERM.
    for (const node of this.nodes) {
      const pid = this.pid(node);
      if (pid !== undefined && isAlive(pid)) process.kill(pid, 'SIGCONT');
    }
    await this.kafkaTool('down');
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  private pid(node: number): number | undefined {
    try {
      const text = readFileSync(
        join(this.dataDir, String(this.port + 2 * node), 'broker.pid'),
        'utf8',
      );
      const pid = Number(text.trim());
      return Number.isInteger(pid) && pid > 0 ? pid : undefined;
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
        String(NODES),
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
      throw new Error(`kafka:${command} --nodes ${NODES} failed (exit ${String(code)})`);
  }
}
