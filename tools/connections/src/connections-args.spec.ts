import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InputError } from './cli-errors.js';
import { parseConnectionsArgs } from './connections-args.js';
import { COMMAND_USAGE, USAGE } from './usage.js';

describe('parseConnectionsArgs', () => {
  it('answers --help overall and per command', () => {
    for (const argv of [[], ['--help'], ['-h'], ['help']])
      assert.deepEqual(parseConnectionsArgs(argv), { kind: 'help', text: USAGE });
    for (const command of ['add', 'rotate', 'retire', 'remove', 'list', 'register'])
      assert.deepEqual(parseConnectionsArgs([command, '--source', 'x', '--help']), {
        kind: 'help',
        text: COMMAND_USAGE[command],
      });
  });

  it('parses add with every option', () => {
    assert.deepEqual(
      parseConnectionsArgs([
        'add',
        '--source',
        'kommo',
        '--id',
        'acme',
        '--account-id',
        '12',
        '--subdomain',
        'acme',
        '--expect-every-minutes',
        '15',
        '--secret',
        'env:ACME',
        '--public-url',
        'https://h.example.com/',
        '--file',
        'c.yaml',
        '--show-secret',
      ]),
      {
        kind: 'add',
        source: 'kommo',
        id: 'acme',
        account: { id: '12', subdomain: 'acme' },
        expectEveryMinutes: 15,
        secret: 'env:ACME',
        secretManifest: false,
        namespace: 'crm-webhook',
        file: 'c.yaml',
        publicUrl: 'https://h.example.com',
        showSecret: true,
      },
    );
  });

  it('parses rotate, retire, remove, list', () => {
    assert.equal(parseConnectionsArgs(['rotate', 'a']).kind, 'rotate');
    const retire = parseConnectionsArgs(['retire', 'a', '--secret-index', '2']);
    assert.equal(retire.kind === 'retire' && retire.secretIndex, 2);
    assert.equal(parseConnectionsArgs(['remove', 'a']).kind, 'remove');
    const list = parseConnectionsArgs([
      'list',
      '--metrics-url',
      'http://a:8080/metrics',
      '--metrics-url',
      'http://b:8080/metrics',
    ]);
    assert.deepEqual(list.kind === 'list' && list.metricsUrls, [
      'http://a:8080/metrics',
      'http://b:8080/metrics',
    ]);
  });

  const refusals: [string, string[], RegExp][] = [
    ['unknown command', ['frobnicate'], /unknown command/],
    [
      'unknown option',
      ['add', '--source', 'kommo', '--id', 'a', '--colour', 'red'],
      /Unknown option '--colour'/,
    ],
    ['bad id', ['add', '--source', 'kommo', '--id', 'Acme_1'], /\[a-z0-9-\]\{1,64\}/],
    ['too long id', ['remove', 'a'.repeat(65)], /\[a-z0-9-\]\{1,64\}/],
    [
      'unknown source',
      ['add', '--source', 'hubspot', '--id', 'a'],
      /--source must be one of kommo, amocrm, kommo-chat, pipeliner/,
    ],
    ['missing source', ['add', '--id', 'a'], /--source must be one of/],
    [
      'account id not digits',
      ['add', '--source', 'kommo', '--id', 'a', '--account-id', '12a'],
      /--account-id must be digits/,
    ],
    [
      'account on pipeliner',
      ['add', '--source', 'pipeliner', '--id', 'a', '--account-id', '12'],
      /kommo and amocrm only/,
    ],
    ['bad subdomain', ['add', '--source', 'kommo', '--id', 'a', '--subdomain', 'a.b'], /DNS label/],
    [
      'bad url',
      ['add', '--source', 'kommo', '--id', 'a', '--public-url', 'hooks.example.com'],
      /http\(s\) URL/,
    ],
    [
      'url with query',
      ['add', '--source', 'kommo', '--id', 'a', '--public-url', 'https://h/?x=1'],
      /query/,
    ],
    [
      'bad expect',
      ['add', '--source', 'kommo', '--id', 'a', '--expect-every-minutes', '0'],
      /from 1 to 525600/,
    ],
    [
      'pipeliner secret not a UUID',
      ['add', '--source', 'pipeliner', '--id', 'a', '--secret', 'abc'],
      /UUID/,
    ],
    [
      'bad env reference',
      ['add', '--source', 'kommo', '--id', 'a', '--secret', 'env:1X'],
      /env:NAME/,
    ],
    ['retire without index', ['retire', 'a'], /--secret-index/],
    ['two ids', ['remove', 'a', 'b'], /exactly one connection id/],
    [
      'bad metrics url',
      ['list', '--metrics-url', 'localhost:8080'],
      /--metrics-url must be an http\(s\) URL/,
    ],
    [
      'literal api token',
      ['register', 'a', '--api-url', 'https://x', '--space-id', 's', '--api-token', 'secret'],
      /env:NAME/,
    ],
  ];
  for (const [name, argv, message] of refusals)
    it(`refuses ${name}`, () =>
      assert.throws(
        () => parseConnectionsArgs(argv),
        (error: unknown) => error instanceof InputError && message.test(error.message),
      ));
});
