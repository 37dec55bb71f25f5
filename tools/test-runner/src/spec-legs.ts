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
  /** Spec files run at once. */
  readonly concurrency: number;
}

interface TestEventData {
  details?: { type?: string };
}

/**
 * Specs of process and cluster management: how `npm start` handles signals
 * and orphaning (tools/start), the three-node cluster (tools/kafka) and the
 * chaos smoke (tools/chaos). They exercise processes and brokers, not the
 * libraries the fast paths replace, and take minutes each, so they run once.
 */
const PROCESS_LIFECYCLE_SPECS = /[\\/]tools[\\/](start|kafka|chaos)[\\/]dist[\\/]/;

/**
 * Specs that run the whole stack or several service processes (and some their
 * own broker): on two cores, two of them at once starve each other, so they
 * run one at a time, after the rest.
 */
const WHOLE_STACK_SPECS =
  /[\\/]tools[\\/](start|simulate|kafka|chaos)[\\/]dist[\\/]|-restart\.int\.spec\.js$/;

/**
 * Every spec with the fast paths on, then the integration specs again with
 * CRM_FAST_PATHS=off (except the process-lifecycle ones): the services must
 * behave the same on stock kafkajs, class-validator and class-transformer
 * code. Whole-stack specs run one at a time in legs of their own.
 */
export function specLegs(
  specs: { unit: readonly string[]; integration: readonly string[] },
  unitOnly: boolean,
): SpecLeg[] {
  const unit = { title: 'unit specs', files: specs.unit };
  if (unitOnly)
    return [{ ...unit, title: 'unit specs, fast paths on', fastPaths: 'on', concurrency: 2 }];
  const light = specs.integration.filter((file) => !WHOLE_STACK_SPECS.test(file));
  const heavy = specs.integration.filter((file) => WHOLE_STACK_SPECS.test(file));
  const heavyAgain = heavy.filter((file) => !PROCESS_LIFECYCLE_SPECS.test(file));
  const legs: SpecLeg[] = [
    {
      title: 'specs, fast paths on',
      files: [...specs.unit, ...light],
      fastPaths: 'on',
      concurrency: 2,
    },
    {
      title: 'whole-stack specs, fast paths on, one at a time',
      files: heavy,
      fastPaths: 'on',
      concurrency: 1,
    },
    {
      title: 'integration specs again, CRM_FAST_PATHS=off (stock library code)',
      files: light,
      fastPaths: 'off',
      concurrency: 2,
    },
    {
      title: 'whole-stack specs again, CRM_FAST_PATHS=off, one at a time',
      files: heavyAgain,
      fastPaths: 'off',
      concurrency: 1,
    },
  ];
  return legs.filter((leg) => leg.files.length > 0);
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
  // Per test: the chaos smoke (a cluster, twelve services, an outage and the drain) takes 4-6 minutes.
  const stream = run({ files: [...leg.files], concurrency: leg.concurrency, timeout: 600_000 });
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
