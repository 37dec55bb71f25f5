import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const PROBE = fileURLToPath(new URL('./test-support/validate-probe.js', import.meta.url));
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

interface ProbeOutput {
  readonly report: unknown;
  readonly validationFastPaths: string[];
  readonly kafkajsEncoder?: string;
  readonly classValidatorWrapped: boolean;
  readonly verdicts: unknown[];
}

/** The probe in a fresh node, with only the node options given (none from NODE_OPTIONS). */
async function probe(nodeOptions: string[]): Promise<ProbeOutput> {
  const { stdout } = await promisify(execFile)(process.execPath, [...nodeOptions, PROBE], {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: '', CRM_FAST_PATHS: 'on' },
  });
  return JSON.parse(stdout) as ProbeOutput;
}

describe('validatePayload and the fast paths', () => {
  it('importing normalizer-kit (and @crm/kafka with it) leaves the stock library code in place', async () => {
    const stock = await probe([]);
    assert.equal(stock.report, null);
    assert.deepEqual(stock.validationFastPaths, []);
    assert.equal(stock.kafkajsEncoder, 'Encoder');
    assert.equal(stock.classValidatorWrapped, false);
  });

  it('takes the fast paths once installed, with the same verdicts and messages', async () => {
    const [stock, fast] = await Promise.all([
      probe([]),
      probe(['--import', '@crm/fast-paths/register']),
    ]);
    assert.deepEqual(fast.validationFastPaths, ['instantiate', 'passesValidation']);
    assert.equal(fast.kafkajsEncoder, 'PooledEncoder');
    assert.equal(fast.classValidatorWrapped, true);
    assert.deepEqual(fast.verdicts, stock.verdicts);
    const oks = stock.verdicts.map((verdict) => (verdict as { ok: boolean }).ok);
    assert.ok(oks.includes(true) && oks.includes(false), 'both verdicts exercised');
  });
});
