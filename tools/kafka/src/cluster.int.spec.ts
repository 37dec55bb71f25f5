import 'reflect-metadata';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { TOPICS, TOPIC_SPECS } from '@crm/contracts';
import { createKafka, describeTopicConfigs } from '@crm/kafka';
import { waitFor } from '@crm/testing';
import { TOOL_DIR } from './broker-config.js';
import {
  bootstrapServers,
  clusterNodes,
  leaderOf,
  partitionStates,
  startNode,
  stopNode,
  waitForFullIsr,
  type ClusterNode,
} from './cluster.js';
import { kafkaVersion } from './jars.js';
import { isAlive, readPid } from './process-control.js';

/** Six consecutive ports (3 clients, 3 controllers) nothing listens on, from 29420 up. */
async function freeBasePort(): Promise<number> {
  const bindable = (port: number): Promise<boolean> =>
    new Promise((done) => {
      const server = createServer();
      server.once('error', () => done(false));
      server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
    });
  for (let base = 29420; base < 29600; base += 10) {
    const ports = Array.from({ length: 6 }, (_, offset) => base + offset);
    if ((await Promise.all(ports.map(bindable))).every(Boolean)) return base;
  }
  throw new Error('no six free ports in 29420-29599');
}

// Its own cluster, away from 9092, the shared test broker (19092) and other engineers' (29310-29341).
const PORT = await freeBasePort();
const root = mkdtempSync(join(tmpdir(), 'kafka-cluster-int-'));
const env: NodeJS.ProcessEnv = { ...process.env, KAFKA_PORT: String(PORT), KAFKA_DATA_DIR: root };
for (const name of ['KAFKA_BROKERS', 'KAFKA_NODES', 'KAFKA_CONTROLLER_PORT']) delete env[name];

const nodes = clusterNodes(3, kafkaVersion(), env);
const brokers = bootstrapServers(nodes);
const topics = TOPIC_SPECS.map((spec) => spec.name);
const pids = new Set<number>();

function kafkaTool(...args: string[]): Promise<string> {
  return new Promise((done, fail) => {
    execFile(
      process.execPath,
      [join(TOOL_DIR, 'dist/main.js'), ...args],
      { env, timeout: 150_000, killSignal: 'SIGKILL' },
      (error, stdout, stderr) =>
        error
          ? fail(new Error(`kafka ${args.join(' ')}: ${error.message}\n${stdout}${stderr}`))
          : done(stdout),
    );
  });
}

function remember(node: ClusterNode): void {
  const pid = readPid(node.pidFile);
  if (pid !== undefined) pids.add(pid);
}

/** Any JVM still running from this spec's data dirs, found by its command line. */
function ourJvms(): string[] {
  const ps = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return ps.split('\n').filter((line) => line.includes('kafka.Kafka') && line.includes(root));
}

after(async () => {
  // Whatever happened above: no node of this spec outlives it.
  await Promise.all(nodes.map((node) => stopNode(node, 'SIGKILL').catch(() => undefined)));
  rmSync(root, { recursive: true, force: true });
});

describe('kafka:up --nodes 3', { timeout: 170_000 }, () => {
  it('starts three nodes and replicates every project topic like production', async () => {
    const output = await kafkaTool('up', '--nodes', '3');
    assert.match(output, new RegExp(`ready on ${brokers.join(',')} in`));
    nodes.forEach(remember);
    assert.equal(pids.size, 3);

    const states = await partitionStates(brokers, topics);
    const expected = TOPIC_SPECS.reduce((sum, spec) => sum + spec.partitions, 0);
    assert.equal(states.length, expected);
    for (const state of states) {
      const where = `${state.topic}[${state.partition}]`;
      assert.deepEqual([...state.replicas].sort(), [1, 2, 3], where);
      assert.deepEqual([...state.isr].sort(), [1, 2, 3], where);
    }
    const admin = createKafka({ clientId: 'cluster-int', brokers }, () => undefined).admin();
    await admin.connect();
    try {
      const configs = await describeTopicConfigs(admin, topics, ['min.insync.replicas']);
      for (const topic of topics)
        assert.equal(configs.get(topic)?.get('min.insync.replicas'), '2', topic);
    } finally {
      await admin.disconnect();
    }
  });

  it('a second up finds the cluster running and changes nothing', async () => {
    const output = await kafkaTool('up', '--nodes', '3');
    assert.match(output, /node 3 of 3 already running/);
    assert.match(output, new RegExp(`topics created 0, already present ${topics.length}`));
    assert.doesNotMatch(output, /warning: topic differs/);
  });

  it('loses a leader to kill -9 without losing acks=all writes, then heals', async () => {
    const topic = TOPICS.raw;
    const before = await leaderOf(brokers, topic, 0);
    const victim = nodes.find((node) => node.nodeId === before);
    assert.ok(victim, `no node leads ${topic}[0] (leader ${before})`);
    assert.equal(await stopNode(victim, 'SIGKILL'), 'stopped');

    const moved = await waitFor(
      async () => {
        const [state] = (await partitionStates(brokers, [topic])).filter((s) => s.partition === 0);
        return state && state.leader >= 0 && state.leader !== before && !state.isr.includes(before)
          ? state
          : undefined;
      },
      { timeoutMs: 40_000, intervalMs: 250, description: `a new leader for ${topic}[0]` },
    );
    assert.equal(moved.isr.length, 2);

    const producer = createKafka({ clientId: 'cluster-int', brokers }, () => undefined).producer();
    await producer.connect();
    try {
      const [written] = await producer.send({
        topic,
        acks: -1,
        messages: [{ partition: 0, key: 'chaos', value: 'acks=all with one node down' }],
      });
      assert.equal(written?.errorCode, 0);
    } finally {
      await producer.disconnect();
    }

    const restarted = startNode(victim);
    assert.ok(restarted.started);
    pids.add(restarted.pid);
    await waitForFullIsr(brokers, topics, 60_000);
  });

  it('kafka:down stops every node it started', async () => {
    const output = await kafkaTool('down');
    assert.equal(output.match(/stopped node \d on port/g)?.length, 3, output);
    for (const pid of pids) assert.equal(isAlive(pid), false, `pid ${pid} still alive`);
    assert.deepEqual(ourJvms(), []);
  });
});
