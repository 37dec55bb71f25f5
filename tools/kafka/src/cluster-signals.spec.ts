import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { waitFor } from '@crm/testing';
import { clusterNodes, pauseNode, resumeNode, stopNode, type ClusterNode } from './cluster.js';
import { isAlive } from './process-control.js';

const root = mkdtempSync(join(tmpdir(), 'kafka-cluster-signals-'));
const started: number[] = [];
after(() => {
  for (const pid of started) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

/** A stand-in for a broker JVM: a process named in the node's pid file. */
function fakeNode(port: number, script: string): { node: ClusterNode; pid: number } {
  const [node] = clusterNodes(1, '4.3.1', { KAFKA_PORT: String(port), KAFKA_DATA_DIR: root });
  assert.ok(node);
  const child = spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
  assert.ok(child.pid);
  started.push(child.pid);
  mkdirSync(node.dataDir, { recursive: true });
  writeFileSync(node.pidFile, String(child.pid));
  return { node, pid: child.pid };
}

function processState(pid: number): string {
  return execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim();
}

const IDLE = 'setInterval(() => {}, 1000)';

describe('node signals', () => {
  it('pauses a node with SIGSTOP and resumes it with SIGCONT', async () => {
    const { node, pid } = fakeNode(29600, IDLE);
    assert.equal(pauseNode(node), pid);
    await waitFor(() => processState(pid).startsWith('T'), { description: 'stopped state' });
    assert.equal(resumeNode(node), pid);
    await waitFor(() => !processState(pid).startsWith('T'), { description: 'running again' });
    await stopNode(node, 'SIGKILL');
  });

  it('kills a node with SIGKILL even when it ignores SIGTERM, and removes its pid file', async () => {
    const { node, pid } = fakeNode(29602, `process.on('SIGTERM', () => {}); ${IDLE}`);
    assert.equal(await stopNode(node, 'SIGKILL'), 'stopped');
    assert.equal(isAlive(pid), false);
    assert.equal(await stopNode(node, 'SIGKILL'), 'not-running');
  });

  it('stops a paused node with SIGTERM (it is resumed first, or it would never exit)', async () => {
    const { node, pid } = fakeNode(29604, IDLE);
    pauseNode(node);
    await waitFor(() => processState(pid).startsWith('T'), { description: 'stopped state' });
    assert.equal(await stopNode(node, 'SIGTERM', 5_000), 'stopped');
    assert.equal(isAlive(pid), false);
  });

  it('refuses to pause a node that is not running', () => {
    const [node] = clusterNodes(1, '4.3.1', { KAFKA_PORT: '29606', KAFKA_DATA_DIR: root });
    assert.ok(node);
    assert.throws(() => pauseNode(node), /node 1 \(port 29606\) is not running/);
  });
});
