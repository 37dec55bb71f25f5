import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { clusterNodes } from './cluster-config.js';
import { formattedClusterId, prepareClusterStorage, readClusterRecord } from './cluster-storage.js';

const root = mkdtempSync(join(tmpdir(), 'kafka-cluster-storage-'));
after(() => rmSync(root, { recursive: true, force: true }));

function formatted(logDir: string, clusterId: string): void {
  mkdirSync(logDir, { recursive: true });
  writeFileSync(
    join(logDir, 'meta.properties'),
    `#\nnode.id=1\ndirectory.id=x\nversion=1\ncluster.id=${clusterId}\n`,
  );
}

describe('cluster storage', () => {
  it('reads the cluster id a data dir was formatted with', () => {
    const [node] = clusterNodes(1, '4.3.1', { KAFKA_PORT: '29500', KAFKA_DATA_DIR: root });
    assert.ok(node);
    assert.equal(formattedClusterId(node), undefined);
    formatted(node.logDir, 'abcABC123_-abcABC123_');
    assert.equal(formattedClusterId(node), 'abcABC123_-abcABC123_');
  });

  it('refuses to build a cluster on a single-node broker’s data, writing no cluster file', async () => {
    const nodes = clusterNodes(3, '4.3.1', { KAFKA_PORT: '29510', KAFKA_DATA_DIR: root });
    formatted(nodes[0]?.logDir ?? '', 'singleNodeClusterId000');
    await assert.rejects(prepareClusterStorage(nodes), /holds the data of another broker/);
    assert.equal(readClusterRecord(join(root, 'cluster-29510.json')), undefined);
  });

  it('refuses a node dir formatted for another cluster than the recorded one', async () => {
    const nodes = clusterNodes(3, '4.3.1', { KAFKA_PORT: '29520', KAFKA_DATA_DIR: root });
    writeFileSync(
      join(root, 'cluster-29520.json'),
      JSON.stringify({
        clusterId: 'recordedClusterId00000',
        nodes: nodes.map((node) => ({
          nodeId: node.nodeId,
          port: node.port,
          controllerPort: node.controllerPort,
          dataDir: node.dataDir,
          directoryId: `dir${node.nodeId}AAAAAAAAAAAAAAAAAA`,
        })),
      }),
    );
    for (const node of nodes) formatted(node.logDir, 'recordedClusterId00000');
    formatted(nodes[2]?.logDir ?? '', 'someOtherClusterId0000');
    await assert.rejects(prepareClusterStorage(nodes), /belongs to cluster someOtherClusterId0000/);
  });

  it('refuses a cluster file naming other nodes', async () => {
    const nodes = clusterNodes(3, '4.3.1', { KAFKA_PORT: '29530', KAFKA_DATA_DIR: root });
    writeFileSync(
      join(root, 'cluster-29530.json'),
      JSON.stringify({ clusterId: 'x', nodes: [{ nodeId: 1, port: 1, dataDir: '/elsewhere' }] }),
    );
    await assert.rejects(prepareClusterStorage(nodes), /describes other nodes/);
  });
});
