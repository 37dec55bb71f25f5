import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  bootstrapServers,
  clusterFilePath,
  clusterNodes,
  clusterServerProperties,
  initialControllers,
} from './cluster-config.js';

const ENV = { KAFKA_PORT: '29400', KAFKA_DATA_DIR: '/tmp/kc' };

function properties(text: string): Map<string, string> {
  return new Map(
    text
      .trim()
      .split('\n')
      .map((line) => {
        const at = line.indexOf('=');
        return [line.slice(0, at), line.slice(at + 1)] as const;
      }),
  );
}

describe('three-node cluster layout', () => {
  const nodes = clusterNodes(3, '4.3.1', ENV);

  it('numbers the nodes 1..3 on client ports KAFKA_PORT, +2, +4 with controllers beside them', () => {
    assert.deepEqual(
      nodes.map((node) => [node.nodeId, node.port, node.controllerPort]),
      [
        [1, 29400, 29401],
        [2, 29402, 29403],
        [3, 29404, 29405],
      ],
    );
    assert.deepEqual(bootstrapServers(nodes), [
      '127.0.0.1:29400',
      '127.0.0.1:29402',
      '127.0.0.1:29404',
    ]);
  });

  it('keeps each node in <KAFKA_DATA_DIR>/<port> and the cluster file beside them', () => {
    assert.deepEqual(
      nodes.map((node) => [node.dataDir, node.pidFile, node.logDir]),
      [29400, 29402, 29404].map((port) => [
        `/tmp/kc/${port}`,
        `/tmp/kc/${port}/broker.pid`,
        `/tmp/kc/${port}/logs`,
      ]),
    );
    assert.equal(clusterFilePath(nodes[0]?.dataDir ?? '', 29400), '/tmp/kc/cluster-29400.json');
  });

  it('defaults to 9092/9094/9096 under .kafka', () => {
    const defaults = clusterNodes(3, '4.3.1', {});
    assert.deepEqual(
      defaults.map((node) => node.port),
      [9092, 9094, 9096],
    );
    assert.match(defaults[2]?.dataDir ?? '', /\/\.kafka\/9096$/);
  });

  it('refuses a controller port that breaks the client port + 1 scheme, and ports past 65535', () => {
    assert.throws(
      () => clusterNodes(3, '4.3.1', { ...ENV, KAFKA_CONTROLLER_PORT: '29999' }),
      /KAFKA_CONTROLLER_PORT=29999/,
    );
    assert.equal(clusterNodes(3, '4.3.1', { ...ENV, KAFKA_CONTROLLER_PORT: '29401' }).length, 3);
    assert.throws(() => clusterNodes(3, '4.3.1', { KAFKA_PORT: '65532' }), /no room for 3 nodes/);
  });

  it('makes every node a broker+controller of one three-voter quorum', () => {
    for (const node of nodes) {
      const config = properties(clusterServerProperties(node));
      assert.equal(config.get('process.roles'), 'broker,controller');
      assert.equal(config.get('node.id'), String(node.nodeId));
      assert.equal(
        config.get('listeners'),
        `PLAINTEXT://127.0.0.1:${node.port},CONTROLLER://127.0.0.1:${node.controllerPort}`,
      );
      assert.equal(
        config.get('controller.quorum.bootstrap.servers'),
        '127.0.0.1:29401,127.0.0.1:29403,127.0.0.1:29405',
      );
      assert.equal(
        config.has('controller.quorum.voters'),
        false,
        'static voters exclude --initial-controllers',
      );
      assert.equal(config.get('log.dirs'), node.logDir);
    }
  });

  it('replicates like production: RF 3, min ISR 2, no unclean elections', () => {
    const config = properties(clusterServerProperties(nodes[1] ?? nodes[0]!));
    for (const [name, value] of [
      ['default.replication.factor', '3'],
      ['min.insync.replicas', '2'],
      ['offsets.topic.replication.factor', '3'],
      ['transaction.state.log.replication.factor', '3'],
      ['transaction.state.log.min.isr', '2'],
      ['unclean.leader.election.enable', 'false'],
      ['replica.lag.time.max.ms', '10000'],
      ['group.initial.rebalance.delay.ms', '0'],
      ['auto.create.topics.enable', 'false'],
    ]) {
      assert.equal(config.get(name ?? ''), value, name);
    }
  });

  it('formats all nodes with the same initial voter set, id@host:controllerPort:directoryId', () => {
    const ids = new Map([
      [1, 'AAAAAAAAAAAAAAAAAAAAAQ'],
      [2, 'AAAAAAAAAAAAAAAAAAAAAg'],
      [3, 'AAAAAAAAAAAAAAAAAAAAAw'],
    ]);
    assert.equal(
      initialControllers(nodes, ids),
      '1@127.0.0.1:29401:AAAAAAAAAAAAAAAAAAAAAQ,2@127.0.0.1:29403:AAAAAAAAAAAAAAAAAAAAAg,3@127.0.0.1:29405:AAAAAAAAAAAAAAAAAAAAAw',
    );
    assert.throws(() => initialControllers(nodes, new Map()), /no directory id for node 1/);
  });
});
