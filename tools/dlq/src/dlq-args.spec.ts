import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDlqArgs } from './dlq-args.js';

describe('parseDlqArgs', () => {
  it('parses list filters', () => {
    assert.deepEqual(
      parseDlqArgs([
        'list',
        '--reason',
        'invalid_payload',
        '--source',
        'kommo',
        '--connection',
        'acme',
        '--since',
        '2024-01-01T00:00:00Z',
        '--limit',
        '5',
      ]),
      {
        kind: 'list',
        limit: 5,
        json: false,
        filter: {
          reason: 'invalid_payload',
          source: 'kommo',
          connection: 'acme',
          originGroup: undefined,
          since: Date.parse('2024-01-01T00:00:00Z'),
          until: undefined,
        },
      },
    );
  });

  it('replay is a dry run unless --execute', () => {
    const dry = parseDlqArgs(['replay', '0:12', '2:7']);
    assert.equal(dry.kind === 'replay' && dry.execute, false);
    assert.deepEqual(dry.kind === 'replay' && dry.ids, ['0:12', '2:7']);
    const wet = parseDlqArgs([
      'replay',
      '--all-matching',
      '--reason',
      'retries_exhausted',
      '--execute',
    ]);
    assert.equal(wet.kind === 'replay' && wet.execute && wet.allMatching, true);
  });

  const bad: [string[], RegExp][] = [
    [[], /unknown command/],
    [['purge'], /unknown command/],
    [['inspect'], /at least one/],
    [['replay'], /either/],
    [['replay', '0:1', '--all-matching'], /either/],
    [['list', '--since', 'yesterday'], /ISO-8601/],
    [['list', '--limit', '0'], /positive/],
    [['list', '--reason'], /needs a value/],
    [['inspect', '0-1'], /unexpected argument/],
  ];
  for (const [argv, message] of bad) {
    it(`refuses ${JSON.stringify(argv)}`, () => assert.throws(() => parseDlqArgs(argv), message));
  }
});
