import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

/** Zones with offsets of both signs; Node reads TZ once, at its first Date use, so each runs in a child. */
export const NON_UTC_ZONES = ['Europe/Moscow', 'America/Los_Angeles'] as const;

const SPEC = fileURLToPath(new URL('./timestamps.spec.js', import.meta.url));

describe('time readers do not depend on the host zone', () => {
  for (const zone of NON_UTC_ZONES) {
    it(`timestamps.spec passes under TZ=${zone}`, () => {
      const env: NodeJS.ProcessEnv = { ...process.env, TZ: zone };
      // Set by this runner: a child that sees it reports to it and exits 0 whatever failed.
      delete env['NODE_TEST_CONTEXT'];
      const child = spawnSync(process.execPath, ['--test', '--test-reporter=dot', SPEC], {
        env,
        encoding: 'utf8',
      });
      assert.equal(child.status, 0, `${child.stdout}\n${child.stderr}`);
    });
  }
});
