import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestBroker, type TestBroker } from '@crm/testing';
import { BUILD_CHECK, STATIC_CHECKS, runCheck } from './checks.js';
import { findSpecs } from './find-specs.js';
import { runSpecLeg, specLegs, type Counts } from './spec-legs.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

/**
 * `npm test`: static checks (format, lint, type-check, compose), then every
 * compiled spec with node's test runner and the fast paths on, then the
 * integration specs again with CRM_FAST_PATHS=off. Global setup provides one
 * broker for the run (integration specs read KAFKA_BROKERS); teardown stops
 * it. Ends with the line `N passed, N failed` over all of it, where a static
 * check counts as one test.
 */
async function main(): Promise<Counts> {
  const unitOnly = process.argv.includes('--unit');
  const counts: Counts = { passed: 0, failed: 0 };
  let buildOk = true;
  for (const check of unitOnly ? [BUILD_CHECK] : STATIC_CHECKS) {
    const ok = await runCheck(check, ROOT);
    if (ok) counts.passed += 1;
    else counts.failed += 1;
    if (check.command === BUILD_CHECK.command) buildOk = ok;
  }
  if (!buildOk) {
    process.stdout.write('build failed: specs not run\n');
    return counts;
  }

  const specs = findSpecs(ROOT);
  let broker: TestBroker | undefined;
  if (!unitOnly && specs.integration.length > 0) {
    const started = Date.now();
    broker = await startTestBroker();
    process.env['KAFKA_BROKERS'] = broker.brokers;
    process.stdout.write(
      `test broker (${broker.kind}) on ${broker.brokers}, ready in ${Date.now() - started} ms\n`,
    );
  }
  try {
    for (const leg of specLegs(specs, unitOnly)) {
      const { passed, failed } = await runSpecLeg(leg, ROOT);
      counts.passed += passed;
      counts.failed += failed;
    }
  } finally {
    await broker?.stop();
  }
  return counts;
}

main().then(
  ({ passed, failed }) => {
    process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
    process.exit(failed > 0 || passed === 0 ? 1 : 0);
  },
  (error: unknown) => {
    process.stderr.write(
      `test runner: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.stdout.write('\n0 passed, 1 failed\n');
    process.exit(1);
  },
);
