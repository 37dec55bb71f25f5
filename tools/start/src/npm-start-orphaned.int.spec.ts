/**
 * `npm start` stops every app when what runs it disappears without a word:
 * npm's parent SIGKILLed (a terminal or process manager gone: npm notices
 * nothing, the start process sees its launcher gone) or the start process
 * itself SIGKILLed (its watchdog stops the apps). Each case runs the real
 * `npm start` on a shared broker it must leave running, notes every process
 * below npm once it is up, and requires all of them gone within STOP_BOUND_MS.
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
import { commandLine } from './proc.js';

describe('npm start, orphaned', { concurrency: 1 }, () => {
  let shared: SharedBroker | undefined;
  before(async () => {
    shared = await startSharedBroker();
  });
  after(async () => {
    await shared?.stop();
  });

  it("SIGKILL of npm's parent stops every app, leaves the broker", async () => {
    assert.ok(shared);
    const run = await startNpm({ KAFKA_BROKERS: shared.brokers }, true);
    run.launcher.kill('SIGKILL');
    await expectAllGone(run);
    assert.equal(await portOpen(shared.port), true, 'npm start stopped a broker it did not start');
  });

  it('SIGKILL of the start process: its watchdog stops every app, leaves the broker', async () => {
    assert.ok(shared);
    const run = await startNpm({ KAFKA_BROKERS: shared.brokers });
    const start = run.processes.find((info) =>
      commandLine(info.pid).includes('tools/start/src/main.ts'),
    );
    assert.ok(start, 'the start process runs below npm');
    process.kill(start.pid, 'SIGKILL');
    await expectAllGone(run);
    assert.equal(await portOpen(shared.port), true, 'npm start stopped a broker it did not start');
  });
});
