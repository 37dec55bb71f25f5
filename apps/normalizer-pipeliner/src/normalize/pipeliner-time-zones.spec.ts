import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

/** Offsets of both signs. Node reads TZ once, at its first Date use: each zone runs in a child. */
const ZONES = ['Europe/Moscow', 'America/Los_Angeles'];
const SPEC = fileURLToPath(new URL('./pipeliner-normalizer.spec.js', import.meta.url));

describe('pipeliner-normalizer.spec does not depend on the host time zone', () => {
  for (const zone of ZONES)
    it(`passes under TZ=${zone}`, () => {
      const env: NodeJS.ProcessEnv = { ...process.env, TZ: zone };
      // Set by this runner: a child that sees it reports to it and exits 0 whatever failed.
      delete env['NODE_TEST_CONTEXT'];
      const child = spawnSync(process.execPath, ['--test', '--test-reporter=dot', SPEC], {
        env,
        encoding: 'utf8',
      });
      assert.equal(child.status, 0, `${child.stdout}\n${child.stderr}`);
    });
});
