import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CREDENTIAL_REASONS, parseDlqArgs, parseTime } from './dlq-args.js';

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

  it('answers --help and -h wherever they are', () => {
    for (const argv of [['--help'], ['-h'], ['replay', '0:1', '--help']])
      assert.deepEqual(parseDlqArgs(argv), { kind: 'help' });
  });

  it('reverify: connection, since (duration or ISO), credential reasons by default, dry run', () => {
    const now = Date.parse('2024-05-01T12:00:00Z');
    assert.deepEqual(parseDlqArgs(['reverify', '--connection', 'acme', '--since', '1h'], now), {
      kind: 'reverify',
      connection: 'acme',
      since: Date.parse('2024-05-01T11:00:00Z'),
      reasons: CREDENTIAL_REASONS,
      execute: false,
    });
    const picked = parseDlqArgs(
      [
        'reverify',
        '--connection',
        'acme',
        '--since',
        '2024-05-01T00:00:00Z',
        '--reason',
        'bad_signature,stale',
        '--execute',
      ],
      now,
    );
    assert.deepEqual(picked.kind === 'reverify' && [picked.reasons, picked.execute, picked.since], [
      ['bad_signature', 'stale'],
      true,
      Date.parse('2024-05-01T00:00:00Z'),
    ]);
  });

  it('durations: 90s, 15m, 1h, 2d back from now; ISO times as they are', () => {
    const now = 1_000_000_000_000;
    const cases: [string, number][] = [
      ['90s', now - 90_000],
      ['15m', now - 900_000],
      ['1h', now - 3_600_000],
      ['2d', now - 172_800_000],
      ['2024-05-01T10:00:00.000Z', Date.parse('2024-05-01T10:00:00Z')],
    ];
    for (const [text, expected] of cases) assert.equal(parseTime('--since', text, now), expected);
  });

  const bad: [string[], RegExp][] = [
    [[], /unknown command/],
    [['purge'], /unknown command/],
    [['inspect'], /at least one/],
    [['replay'], /either/],
    [['replay', '0:1', '--all-matching'], /either/],
    [['list', '--since', 'yesterday'], /ISO-8601 time or a duration/],
    [['list', '--limit', '0'], /positive/],
    [['list', '--reason'], /needs a value/],
    [['inspect', '0-1'], /unexpected argument/],
    [['list', '--bogus'], /unexpected argument/],
    [['reverify', '--since', '1h'], /needs --connection/],
    [['reverify', '--connection', 'acme'], /needs --connection id and --since/],
    [['reverify', '--connection', 'a', '--since', '1w'], /duration like/],
    [['reverify', '--connection', 'a', '--since', '1h', '--reason', 'bad_tokn'], /reject reasons/],
    [['reverify', '--connection', 'a', '--since', '1h', '0:1'], /takes --connection/],
    [['reverify', '--connection', 'a', '--since', '1h', '--source', 'kommo'], /takes --connection/],
  ];
  for (const [argv, message] of bad) {
    it(`refuses ${JSON.stringify(argv)}`, () => assert.throws(() => parseDlqArgs(argv), message));
  }
});
