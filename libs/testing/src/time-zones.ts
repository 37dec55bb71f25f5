import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { basename } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

/** Zones with offsets of both signs. */
export const NON_UTC_ZONES = ['Europe/Moscow', 'America/Los_Angeles'] as const;

/**
 * Runs a compiled spec file again under each non-UTC zone, each in a child
 * (Node reads TZ once, at its first Date use): it must pass in all of them.
 */
export function describeUnderTimeZones(specUrl: URL): void {
  const spec = fileURLToPath(specUrl);
  describe(`${basename(spec)} does not depend on the host time zone`, () => {
    for (const zone of NON_UTC_ZONES)
      it(`passes under TZ=${zone}`, () => {
        const env: NodeJS.ProcessEnv = { ...process.env, TZ: zone };
        // Set by this runner: a child that sees it reports to it and exits 0 whatever failed.
        delete env['NODE_TEST_CONTEXT'];
        const child = spawnSync(process.execPath, ['--test', '--test-reporter=dot', spec], {
          env,
          encoding: 'utf8',
        });
        assert.equal(child.status, 0, `${child.stdout}\n${child.stderr}`);
      });
  });
}
