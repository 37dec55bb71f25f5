import { resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import { fileURLToPath } from 'node:url';
import { startTestBroker, type TestBroker } from '@crm/testing';
import { BUILD_CHECK, STATIC_CHECKS, runCheck } from './checks.js';
import { findSpecs } from './find-specs.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

interface TestEventData {
  details?: { type?: string };
}

interface Counts {
  passed: number;
  failed: number;
}

/**
 * `npm test`: static checks (format, lint, type-check, compose), then every
 * compiled spec with node's test runner. Global setup provides one broker for
 * the run (integration specs read KAFKA_BROKERS); teardown stops it. Ends with
 * the line `N passed, N failed`, where a static check counts as one test.
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
  const files = unitOnly ? specs.unit : [...specs.unit, ...specs.integration];
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
    const stream = run({ files, concurrency: 2, timeout: 180_000 });
    stream.on('test:pass', (data: TestEventData) => {
      if (data.details?.type !== 'suite') counts.passed += 1;
    });
    stream.on('test:fail', (data: TestEventData) => {
      if (data.details?.type !== 'suite') counts.failed += 1;
    });
    await pipeline(stream, new spec(), process.stdout, { end: false });
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
