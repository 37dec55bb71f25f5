import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newClusterId } from './broker-config.js';
import { javaArgs } from './broker.js';
import {
  clusterFilePath,
  clusterServerProperties,
  initialControllers,
  type ClusterNode,
} from './cluster-config.js';
import { isAlive, readPid } from './process-control.js';

/** What `kafka:up --nodes N` formatted: the cluster file beside the first node's data dir. */
export interface ClusterRecord {
  readonly clusterId: string;
  readonly nodes: readonly {
    readonly nodeId: number;
    readonly port: number;
    readonly controllerPort: number;
    readonly dataDir: string;
    readonly directoryId: string;
  }[];
}

export function readClusterRecord(file: string): ClusterRecord | undefined {
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as ClusterRecord;
}

/** The cluster.id a data dir was formatted with, if it was. */
export function formattedClusterId(node: Pick<ClusterNode, 'logDir'>): string | undefined {
  const file = join(node.logDir, 'meta.properties');
  if (!existsSync(file)) return undefined;
  return /^cluster\.id=(.+)$/m.exec(readFileSync(file, 'utf8'))?.[1]?.trim();
}

function sameNodes(record: ClusterRecord, nodes: readonly ClusterNode[]): boolean {
  return (
    record.nodes.length === nodes.length &&
    nodes.every((node, index) => {
      const recorded = record.nodes[index];
      return (
        recorded?.nodeId === node.nodeId &&
        recorded.port === node.port &&
        recorded.dataDir === node.dataDir
      );
    })
  );
}

/** A new cluster may not take over dirs holding another broker's data or a running broker. */
function assertFreshDirs(nodes: readonly ClusterNode[]): void {
  for (const node of nodes) {
    const pid = readPid(node.pidFile);
    if (pid !== undefined && isAlive(pid))
      throw new Error(
        `a broker not started as part of a cluster runs on port ${node.port} (pid ${pid}); stop it with npm run kafka:down first`,
      );
    if (formattedClusterId(node) !== undefined)
      throw new Error(
        `${node.dataDir} holds the data of another broker (a single-node kafka:up?); delete it, or choose other ports with KAFKA_PORT`,
      );
  }
}

function format(node: ClusterNode, clusterId: string, controllers: string): Promise<void> {
  const args = ['format', '-t', clusterId, '-c', node.propertiesFile];
  const child = spawn(
    'java',
    javaArgs(node, 'kafka.tools.StorageTool', [...args, '--initial-controllers', controllers]),
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((done, fail) => {
    child.on('error', fail);
    child.on('exit', (code) =>
      code === 0 ? done() : fail(new Error(`formatting ${node.logDir} failed:\n${output}`)),
    );
  });
}

/**
 * Writes every node's server.properties and formats the dirs not formatted yet,
 * all with one cluster id and one initial voter set (kept in the cluster file,
 * so a node whose dir was deleted is formatted into the same cluster again).
 * Refuses dirs formatted for another cluster rather than deleting data.
 */
export async function prepareClusterStorage(nodes: readonly ClusterNode[]): Promise<string> {
  const [first] = nodes;
  if (!first) throw new Error('a cluster needs nodes');
  const file = clusterFilePath(first.dataDir, first.port);
  let record = readClusterRecord(file);
  if (record && !sameNodes(record, nodes))
    throw new Error(
      `${file} describes other nodes; run npm run kafka:down, then delete it and the node dirs`,
    );
  if (!record) {
    assertFreshDirs(nodes);
    record = {
      clusterId: newClusterId(),
      nodes: nodes.map((node) => ({
        nodeId: node.nodeId,
        port: node.port,
        controllerPort: node.controllerPort,
        dataDir: node.dataDir,
        directoryId: newClusterId(),
      })),
    };
    mkdirSync(join(first.dataDir, '..'), { recursive: true });
    writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  }
  const { clusterId } = record;
  const controllers = initialControllers(
    nodes,
    new Map(record.nodes.map((node) => [node.nodeId, node.directoryId])),
  );
  const unformatted: ClusterNode[] = [];
  for (const node of nodes) {
    mkdirSync(node.dataDir, { recursive: true });
    writeFileSync(node.propertiesFile, clusterServerProperties(node));
    const formatted = formattedClusterId(node);
    if (formatted === undefined) unformatted.push(node);
    else if (formatted !== clusterId)
      throw new Error(
        `${node.dataDir} belongs to cluster ${formatted}, not ${clusterId} (${file}); delete it to re-create the node`,
      );
  }
  await Promise.all(unformatted.map((node) => format(node, clusterId, controllers)));
  return file;
}
