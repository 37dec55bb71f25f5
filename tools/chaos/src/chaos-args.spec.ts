import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseChaosArgs } from './chaos-args.js';

describe('parseChaosArgs', () => {
  it('defaults to three nodes and two instances of every service', () => {
    const options = parseChaosArgs([]);
    assert.equal(options?.nodes, 3);
    assert.equal(options?.instances, 2);
    assert.equal(options?.smoke, false);
    assert.equal(options?.rate, 200);
  });

  it('takes one node and one instance for the smoke', () => {
    const options = parseChaosArgs([
      '--smoke',
      '--rate',
      '500',
      '--nodes',
      '1',
      '--instances',
      '1',
    ]);
    assert.deepEqual(
      [options?.smoke, options?.rate, options?.nodes, options?.instances],
      [true, 500, 1, 1],
    );
  });

  it('refuses one node for the full schedule, and other counts', () => {
    assert.throws(() => parseChaosArgs(['--nodes', '1']), /--nodes 1 needs --smoke/);
    assert.throws(() => parseChaosArgs(['--smoke', '--nodes', '2']), /--nodes must be 3 or 1/);
    assert.throws(() => parseChaosArgs(['--instances', '3']), /--instances must be 2 or 1/);
    assert.throws(() => parseChaosArgs(['--nodes', 'x']), /--nodes must be a positive number/);
  });
});
