/**
 * `npm start` stops every app when the npm process alone gets SIGINT (npm
 * forwards it: the script `exec`s the start process, so no `sh -c` swallows
 * it) or SIGHUP (npm dies of it, forwarding nothing: the start process sees
 * npm gone), and leaves running a broker it did not start. Each case runs
 * the real `npm start` on a shared broker, notes every process below npm
 * once it is up, signals npm's pid only, and requires all of them gone
 * within STOP_BOUND_MS. SIGTERM: npm-start-owned-broker.int.spec.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { portOpen } from './kafka-tool.js';
import {
  expectAllGone,
  startNpm,
  startSharedBroker,
  type SharedBroker,
} from './npm-start-harness.js';
import { exited } from './stop-group.js';

describe('npm start, signalled through the npm process', { concurrency: 1 }, () => {
  let shared: SharedBroker | undefined;
  before(async () => {
    shared = await startSharedBroker();
  });
  after(async () => {
    await shared?.stop();
  });

  it('SIGINT to npm stops every app, leaves the broker; exit 0', async () => {
    assert.ok(shared);
    const run = await startNpm({ KAFKA_BROKERS: shared.brokers });
    const exit = exited(run.launcher);
    process.kill(run.npmPid, 'SIGINT');
    await expectAllGone(run);
    assert.equal(await portOpen(shared.port), true, 'npm start stopped a broker it did not start');
    assert.equal(await exit, 0);
  });

  it('SIGHUP to npm (npm dies of it, forwarding nothing) stops every app', async () => {
    assert.ok(shared);
    const run = await startNpm({ KAFKA_BROKERS: shared.brokers });
    process.kill(run.npmPid, 'SIGHUP');
    await expectAllGone(run);
    assert.equal(await portOpen(shared.port), true, 'npm start stopped a broker it did not start');
  });
});
