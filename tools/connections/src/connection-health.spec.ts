import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatAge, healthStatus, type Health } from './connection-health.js';
import { parsePrometheusText } from '@crm/observability/metrics';

describe('parsePrometheusText', () => {
  it('reads names, labels with escapes, values and skips comments and timestamps', () => {
    const samples = parsePrometheusText(
      [
        '# HELP x help',
        '# TYPE x counter',
        'x_total 3',
        'y{a="1",b="q\\"uo\\\\te\\n"} 2.5 1700000000000',
        'z{a="x",} +Inf',
        '',
      ].join('\n'),
    );
    assert.deepEqual(samples, [
      { name: 'x_total', labels: {}, value: 3 },
      { name: 'y', labels: { a: '1', b: 'q"uo\\te\n' }, value: 2.5 },
      { name: 'z', labels: { a: 'x' }, value: Infinity },
    ]);
  });

  it('names the bad line', () => {
    assert.throws(() => parsePrometheusText('ok 1\nbad{a=1} 2'), /line 2/);
    assert.throws(() => parsePrometheusText('novalue'), /line 1/);
  });
});

describe('healthStatus', () => {
  const now = 1_000_000_000_000;
  const h = (
    received: number,
    ageSeconds: number | undefined,
    refused = 0,
    unauthenticated = 0,
  ): Health => ({
    received,
    lastReceived: ageSeconds === undefined ? undefined : now / 1000 - ageSeconds,
    refused,
    unauthenticated,
  });
  const cases: [string, Health | undefined, number | undefined, string][] = [
    ['no metrics at all', undefined, 5, 'never'],
    ['nothing received', h(0, undefined), undefined, 'never'],
    ['only failed credentials', h(0, undefined, 0, 2), undefined, 'failing-auth'],
    ['only refused', h(0, undefined, 2), undefined, 'refused'],
    ['recent', h(3, 59), 1, 'ok'],
    ['older than expected', h(3, 61), 1, 'silent'],
    ['old, but no expectation', h(3, 86_400), undefined, 'ok'],
    ['more failed credentials than accepted', h(3, 10, 0, 3), undefined, 'failing-auth'],
    ['some failed credentials', h(3, 10, 0, 2), undefined, 'ok'],
    ['more refused than accepted', h(3, 10, 4), undefined, 'refused'],
  ];
  for (const [name, health, expect, status] of cases)
    it(`${name}: ${status}`, () => assert.equal(healthStatus(health, expect, now), status));

  it('formats ages', () => {
    assert.deepEqual(
      [formatAge(5), formatAge(125), formatAge(7300), formatAge(200_000)],
      ['5s', '2m', '2h', '2d'],
    );
  });
});
