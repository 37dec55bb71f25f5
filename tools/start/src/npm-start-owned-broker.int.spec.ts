/**
 * Issue 11's case: SIGTERM to the npm process of `npm start` (not to its
 * children) used to stop npm alone and leave the broker and all six apps
 * running. Runs the real `npm start` with no KAFKA_BROKERS, so it starts and
 * owns a broker (own port and data dir), waits until it is up, notes every
 * process below npm from /proc, sends SIGTERM to npm's pid only, and requires
 * every one of them, and the broker, gone within STOP_BOUND_MS, and exit 0.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { freePortRange } from './free-ports.js';
import { portOpen } from './kafka-tool.js';
import { expectAllGone, startNpm } from './npm-start-harness.js';
import { isRunning, readProcess } from './proc.js';
import { exited } from './stop-group.js';

describe('npm start with a broker of its own', () => {
  it('SIGTERM to npm stops every app, then the broker; exit 0', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'npm-start-kafka-'));
    const kafkaPort = await freePortRange(2);
    try {
      const run = await startNpm({
        KAFKA_BROKERS: undefined,
        KAFKA_PORT: String(kafkaPort),
        KAFKA_CONTROLLER_PORT: String(kafkaPort + 1),
        KAFKA_DATA_DIR: dataDir,
      });
      const broker = readProcess(Number(readFileSync(join(dataDir, 'broker.pid'), 'utf8')));
      assert.ok(broker, 'npm start started a broker');
      const exit = exited(run.launcher);
      process.kill(run.npmPid, 'SIGTERM');
      await expectAllGone(run);
      assert.equal(isRunning(broker.pid, broker.startTime), false, 'the broker still runs');
      assert.equal(await portOpen(kafkaPort), false, 'the broker port is still open');
      assert.equal(await exit, 0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
