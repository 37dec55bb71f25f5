import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { FAST_PATH_NAMES, type FastPathName } from './fast-paths-report.js';
import { FastPathsSwitchError, fastPathsSwitch } from './fast-paths-switch.js';
import type { ProbeOutput } from './test-support/install-probe.js';

const PROBE = fileURLToPath(new URL('./test-support/install-probe.js', import.meta.url));
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const KAFKAJS = FAST_PATH_NAMES.filter((name) => name.startsWith('kafkajs.'));
const CLASS_VALIDATOR = FAST_PATH_NAMES.filter((name) => name.startsWith('class-validator.'));

/** The probe in a fresh node: no --import from NODE_OPTIONS, CRM_FAST_PATHS as given. */
async function probe(scenario: string, fastPaths?: string): Promise<ProbeOutput> {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '' };
  if (fastPaths === undefined) delete env['CRM_FAST_PATHS'];
  else env['CRM_FAST_PATHS'] = fastPaths;
  const { stdout } = await promisify(execFile)(process.execPath, [PROBE, scenario], { env });
  return JSON.parse(stdout) as ProbeOutput;
}

const skippedNames = (output: ProbeOutput): FastPathName[] =>
  output.report.skipped.map(({ name }) => name);
const stockEverywhere = (output: ProbeOutput): void => {
  assert.deepEqual(Object.values(output.kafkajsReplaced), Array(7).fill(false));
  assert.equal(output.classValidatorReplaced, false);
};

describe('installFastPaths', () => {
  it('by default replaces every kafkajs module, wraps class-validator, offers both validation paths', async () => {
    const output = await probe('default');
    assert.deepEqual(output.report, { switch: 'on', installed: [...FAST_PATH_NAMES], skipped: [] });
    assert.deepEqual(Object.values(output.kafkajsReplaced), Array(7).fill(true));
    assert.equal(output.classValidatorReplaced, true);
    assert.deepEqual(output.validationFastPaths.sort(), ['instantiate', 'passesValidation']);
    assert.equal(output.sameReportTwice, true);
    assert.deepEqual(output.warnings, []);
  });

  it('with CRM_FAST_PATHS=off replaces nothing and says so once', async () => {
    const output = await probe('default', 'off');
    assert.equal(output.report.switch, 'off');
    assert.deepEqual(output.report.installed, []);
    assert.deepEqual(skippedNames(output), [...FAST_PATH_NAMES]);
    stockEverywhere(output);
    assert.deepEqual(output.validationFastPaths, []);
    assert.equal(output.sameReportTwice, true);
    assert.equal(output.warnings.length, 1);
    assert.match(String(output.warnings[0]?.fields['reason']), /CRM_FAST_PATHS=off/);
  });

  it('leaves the stock code of a library whose installed version differs, and warns', async () => {
    const output = await probe('mismatch');
    assert.deepEqual(output.report.installed, ['class-transformer.instantiate']);
    assert.deepEqual(skippedNames(output), [...KAFKAJS, ...CLASS_VALIDATOR]);
    stockEverywhere(output);
    assert.deepEqual(output.validationFastPaths, ['instantiate']);
    const reasons = output.warnings.map(({ fields }) => String(fields['reason']));
    assert.equal(reasons.length, 2);
    assert.match(reasons[0] ?? '', /kafkajs 2\.3\.0 is installed; .* written for 2\.2\.4/);
    assert.match(
      reasons[1] ?? '',
      /class-validator 0\.14\.2 is installed; .* written for 0\.15\.1/,
    );
    assert.deepEqual(output.warnings[0]?.fields['fastPaths'], KAFKAJS);
  });

  it('leaves kafkajs stock when kafkajs loaded first, and names the early install', async () => {
    const output = await probe('late');
    assert.deepEqual(output.report.installed, [
      ...CLASS_VALIDATOR,
      'class-transformer.instantiate',
    ]);
    assert.deepEqual(skippedNames(output), KAFKAJS);
    assert.deepEqual(Object.values(output.kafkajsReplaced), Array(7).fill(false));
    assert.equal(output.warnings.length, 1);
    assert.match(
      String(output.warnings[0]?.fields['reason']),
      /--import @crm\/fast-paths\/register/,
    );
  });

  it('refuses to start on a CRM_FAST_PATHS that is neither on nor off', async () => {
    await assert.rejects(probe('default', 'yes'), (error: unknown) => {
      assert.match(
        String((error as { stderr?: unknown }).stderr),
        /CRM_FAST_PATHS must be "on" or "off"/,
      );
      return true;
    });
  });
});

describe('@crm/fast-paths/register', () => {
  /** The report a node started with `--import @crm/fast-paths/register` has before its own code runs. */
  async function reportAtStart(fastPaths: string): Promise<unknown> {
    const script =
      "console.log(JSON.stringify((await import('@crm/fast-paths')).fastPathsReport()))";
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', '@crm/fast-paths/register', '--input-type=module', '-e', script],
      { cwd: ROOT, env: { ...process.env, NODE_OPTIONS: '', CRM_FAST_PATHS: fastPaths } },
    );
    return JSON.parse(stdout);
  }

  it('installs the fast paths before the application loads, or leaves them off', async () => {
    assert.deepEqual(await reportAtStart('on'), {
      switch: 'on',
      installed: [...FAST_PATH_NAMES],
      skipped: [],
    });
    assert.deepEqual(await reportAtStart('off'), {
      switch: 'off',
      installed: [],
      skipped: FAST_PATH_NAMES.map((name) => ({
        name,
        reason: 'switched off by CRM_FAST_PATHS=off',
      })),
    });
  });
});

describe('fastPathsSwitch', () => {
  it('reads on (also unset or empty) and off, and rejects anything else', () => {
    const cases: [string | undefined, 'on' | 'off' | undefined][] = [
      [undefined, 'on'],
      ['', 'on'],
      ['on', 'on'],
      ['off', 'off'],
      ['OFF', undefined],
      ['false', undefined],
      [' off', undefined],
    ];
    for (const [value, expected] of cases) {
      const env = value === undefined ? {} : { CRM_FAST_PATHS: value };
      if (expected) assert.equal(fastPathsSwitch(env), expected, String(value));
      else assert.throws(() => fastPathsSwitch(env), FastPathsSwitchError, String(value));
    }
  });
});
