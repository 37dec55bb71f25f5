import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  histogramBuckets,
  parsePrometheusText,
  quantileBound,
  sampleValue,
} from './prometheus-text.js';

const TEXT = [
  '# HELP ingress_spool_records Records in the local spool not yet forwarded to Kafka',
  '# TYPE ingress_spool_records gauge',
  'ingress_spool_records 1234',
  'ingress_spool_records_total 7',
  'ingress_stored_total{where="spool"} 5e+3',
  'crm_webhooks_received_total{source="kommo",connection="a\\"b\\\\c\\nd"} 3 1700000000000',
  '  ingress_up{ a="1" , b="2",} +Inf',
  'nodejs_eventloop_lag_mean_seconds Nan',
  'ingress_lag_min -inf',
  'ingress_spool_fsyncs_total 42',
].join('\n');

describe('parsePrometheusText', () => {
  const samples = parsePrometheusText(TEXT);

  it('reads every sample, skipping comments, with labels unescaped and timestamps ignored', () => {
    assert.deepEqual(
      samples.map((sample) => sample.name),
      [
        'ingress_spool_records',
        'ingress_spool_records_total',
        'ingress_stored_total',
        'crm_webhooks_received_total',
        'ingress_up',
        'nodejs_eventloop_lag_mean_seconds',
        'ingress_lag_min',
        'ingress_spool_fsyncs_total',
      ],
    );
    assert.deepEqual(samples[3]?.labels, { source: 'kommo', connection: 'a"b\\c\nd' });
    assert.equal(samples[3]?.value, 3);
    assert.deepEqual(samples[4]?.labels, { a: '1', b: '2' });
    assert.equal(samples[4]?.value, Infinity);
  });

  it('reads NaN and Inf in any case, as Prometheus does (prom-client writes `Nan`)', () => {
    assert.ok(Number.isNaN(samples[5]?.value));
    assert.equal(samples[6]?.value, -Infinity);
  });

  it('names the line it cannot read', () => {
    assert.throws(() => parsePrometheusText('a{x=1} 2'), /line 1: bad label/);
    assert.throws(() => parsePrometheusText('ok 1\nbad{x="1 2'), /line 2: unterminated/);
    assert.throws(() => parsePrometheusText('a 1 2 3'), /line 1: unexpected text/);
    assert.throws(() => parsePrometheusText('a one'), /line 1: not a number/);
    assert.throws(() => parsePrometheusText('{x="1"} 1'), /line 1: no metric name/);
  });
});

describe('sampleValue', () => {
  const samples = parsePrometheusText(TEXT);
  const cases: [string, string, Record<string, string>, number | undefined][] = [
    ['a gauge', 'ingress_spool_records', {}, 1234],
    ['a labelled sample', 'ingress_stored_total', { where: 'spool' }, 5_000],
    ['the last line, without a newline', 'ingress_spool_fsyncs_total', {}, 42],
    ['an absent label value', 'ingress_stored_total', { where: 'kafka' }, undefined],
    [
      'fewer labels than the sample has',
      'crm_webhooks_received_total',
      { source: 'kommo' },
      undefined,
    ],
    ['a name that only prefixes another', 'ingress_spool', {}, undefined],
  ];
  for (const [name, metric, labels, expected] of cases)
    it(name, () => assert.equal(sampleValue(samples, metric, labels), expected));
});

const HISTOGRAM = (counts: readonly number[]): string =>
  ['0.005', '0.01', '0.05', '+Inf']
    .map((le, i) => `d_bucket{le="${le}",source="kommo"} ${counts[i] ?? 0}`)
    .concat(['d_bucket{le="0.005",source="other"} 99', 'd_sum{source="kommo"} 1'])
    .join('\n');
const buckets = (counts: readonly number[]): Map<number, number> =>
  histogramBuckets(parsePrometheusText(HISTOGRAM(counts)), 'd', { source: 'kommo' });

describe('histogramBuckets and quantileBound', () => {
  const before = buckets([10, 20, 30, 30]);
  it('reads one series, +Inf included', () =>
    assert.deepEqual(
      [...before],
      [
        [0.005, 10],
        [0.01, 20],
        [0.05, 30],
        [Infinity, 30],
      ],
    ));
  const cases: [string, number[], number, number | undefined][] = [
    ['nothing observed in between', [10, 20, 30, 30], 0.99, undefined],
    ['p50 in the first bucket', [70, 80, 130, 130], 0.5, 0.005],
    ['p99 in the 50 ms bucket', [70, 80, 130, 130], 0.99, 0.05],
    ['p99 beyond the last bound', [70, 80, 100, 130], 0.99, Infinity],
  ];
  for (const [name, counts, q, expected] of cases)
    it(name, () => assert.equal(quantileBound(before, buckets(counts), q), expected));
});
