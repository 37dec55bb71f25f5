import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import { pathToFileURL } from 'node:url';

export interface Counts {
  passed: number;
  failed: number;
}

/** One run of node's test runner over some spec files, with the fast paths on or off. */
export interface SpecLeg {
  readonly title: string;
  readonly files: readonly string[];
  readonly fastPaths: 'on' | 'off';
}

interface TestEventData {
  details?: { type?: string };
}

/**
 * Specs of how `npm start` handles signals and orphaning (tools/start): they
 * exercise process management, not the libraries the fast paths replace, and
 * take minutes each, so they run once.
 */
const PROCESS_LIFECYCLE_SPECS = /[\\/]tools[\\/]start[\\/]dist[\\/]/;

/**
 * Every spec with the fast paths on, then the integration specs again with
 * CRM_FAST_PATHS=off (except the process-lifecycle ones): the services must
 * behave the same on stock kafkajs, class-validator and class-transformer code.
 */
export function specLegs(
  specs: { unit: readonly string[]; integration: readonly string[] },
  unitOnly: boolean,
): SpecLeg[] {
  if (unitOnly) return [{ title: 'unit specs, fast paths on', files: specs.unit, fastPaths: 'on' }];
  const legs: SpecLeg[] = [
    {
      title: 'specs, fast paths on',
      files: [...specs.unit, ...specs.integration],
      fastPaths: 'on',
    },
  ];
  const again = specs.integration.filter((file) => !PROCESS_LIFECYCLE_SPECS.test(file));
  if (again.length > 0)
    legs.push({
      title: 'integration specs again, CRM_FAST_PATHS=off (stock library code)',
      files: again,
      fastPaths: 'off',
    });
  return legs;
}

const INHERITED_NODE_OPTIONS = process.env['NODE_OPTIONS'] ?? '';

/**
 * Runs a leg and prints its results. Node's test runner runs each spec file in
 * a child process, and the processes those specs start (services) inherit the
 * same environment: `--import` of the compiled fast-paths register in
 * NODE_OPTIONS installs the fast paths in each before any spec module loads
 * kafkajs, and CRM_FAST_PATHS says whether it installs them or leaves the
 * stock code.
 */
export async function runSpecLeg(leg: SpecLeg, root: string): Promise<Counts> {
  const register = pathToFileURL(join(root, 'libs/fast-paths/dist/register.js')).href;
  process.env['NODE_OPTIONS'] = `${INHERITED_NODE_OPTIONS} --import=${register}`.trim();
  process.env['CRM_FAST_PATHS'] = leg.fastPaths;
  const counts: Counts = { passed: 0, failed: 0 };
  const started = Date.now();
  process.stdout.write(`▶ ${leg.title}: ${leg.files.length} spec files\n`);
  const stream = run({ files: [...leg.files], concurrency: 2, timeout: 180_000 });
  stream.on('test:pass', (data: TestEventData) => {
    if (data.details?.type !== 'suite') counts.passed += 1;
  });
  stream.on('test:fail', (data: TestEventData) => {
    if (data.details?.type !== 'suite') counts.failed += 1;
  });
  await pipeline(stream, new spec(), process.stdout, { end: false });
  const mark = counts.failed > 0 ? '✖' : '✔';
  process.stdout.write(
    `${mark} ${leg.title}: ${counts.passed} passed, ${counts.failed} failed (${Date.now() - started} ms)\n`,
  );
  return counts;
}
