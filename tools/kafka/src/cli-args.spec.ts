import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError, parseArgs } from './cli-args.js';

describe('kafka tool arguments', () => {
  it('defaults to one node', () => {
    assert.deepEqual(parseArgs(['up'], {}), { kind: 'up', nodes: 1, nodesGiven: false });
    assert.deepEqual(parseArgs(['down'], {}), { kind: 'down', nodes: 1, nodesGiven: false });
  });

  it('takes --nodes N, --nodes=N or KAFKA_NODES, the flag first', () => {
    assert.deepEqual(parseArgs(['up', '--nodes', '3'], {}), {
      kind: 'up',
      nodes: 3,
      nodesGiven: true,
    });
    assert.deepEqual(parseArgs(['down', '--nodes=3'], {}), {
      kind: 'down',
      nodes: 3,
      nodesGiven: true,
    });
    assert.deepEqual(parseArgs(['up'], { KAFKA_NODES: '3' }), {
      kind: 'up',
      nodes: 3,
      nodesGiven: true,
    });
    assert.equal(parseArgs(['up', '--nodes', '1'], { KAFKA_NODES: '3' }).kind, 'up');
    assert.deepEqual(parseArgs(['up', '--nodes', '1'], { KAFKA_NODES: '3' }), {
      kind: 'up',
      nodes: 1,
      nodesGiven: true,
    });
    assert.deepEqual(parseArgs(['up'], { KAFKA_NODES: '' }), {
      kind: 'up',
      nodes: 1,
      nodesGiven: false,
    });
  });

  it('answers --help and -h wherever they are', () => {
    for (const args of [
      ['--help'],
      ['up', '--help'],
      ['down', '-h'],
      ['up', '--nodes', '7', '--help'],
    ])
      assert.deepEqual(parseArgs(args, {}), { kind: 'help' });
  });

  it('refuses other commands, node counts and extra arguments', () => {
    const wrong: [string[], NodeJS.ProcessEnv, RegExp][] = [
      [[], {}, /unexpected arguments \[\]/],
      [['start'], {}, /unexpected arguments/],
      [['up', 'now'], {}, /unexpected arguments/],
      [['up', '--nodes'], {}, /unexpected arguments/],
      [['up', '--nodes', '2'], {}, /--nodes "2": expected one of 1, 3/],
      [['up', '--nodes=three'], {}, /--nodes "three"/],
      [['up', '--nodes', '3', '--nodes', '3'], {}, /unexpected arguments/],
      [['up'], { KAFKA_NODES: '5' }, /KAFKA_NODES "5"/],
    ];
    for (const [args, env, message] of wrong)
      assert.throws(
        () => parseArgs(args, env),
        (error: unknown) => {
          assert.ok(error instanceof UsageError, `${JSON.stringify(args)} threw ${String(error)}`);
          assert.match(error.message, message);
          return true;
        },
      );
  });
});
