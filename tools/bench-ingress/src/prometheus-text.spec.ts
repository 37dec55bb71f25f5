import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { counterValue, histogramBuckets, metricValue, quantileBound } from './prometheus-text.js';

const TEXT = [
  '# HELP ingress_spool_records Records in the local spool not yet forwarded to Kafka',
  '# TYPE ingress_spool_records gauge',
  'ingress_spool_records 1234',
  'ingress_spool_records_total 7',
  'ingress_stored_total{where="spool"} 5e+3',
  'ingress_spool_fsyncs_total 42',
].join('\n');

describe('metricValue', () => {
  const cases: [string, string, number][] = [
    ['a gauge', 'ingress_spool_records', 1234],
    ['a labelled sample', 'ingress_stored_total{where="spool"}', 5_000],
    ['the last line, without a newline', 'ingress_spool_fsyncs_total', 42],
    ['an absent label value', 'ingress_stored_total{where="kafka"}', Number.NaN],
    ['a name that only prefixes another', 'ingress_spool', Number.NaN],
  ];
  for (const [name, sample, expected] of cases)
    it(name, () => assert.equal(metricValue(TEXT, sample), expected));
});

describe('counterValue', () => {
  it('is the sample when there is one', () =>
    assert.equal(counterValue(TEXT, 'ingress_spool_fsyncs_total'), 42));
  it('is 0 before the first increment', () =>
    assert.equal(counterValue(TEXT, 'ingress_stored_total{where="kafka"}'), 0));
});

const HISTOGRAM = (counts: readonly number[]): string =>
  ['0.005', '0.01', '0.05', '+Inf']
    .map((le, i) => `d_bucket{le="${le}",source="kommo"} ${counts[i] ?? 0}`)
    .concat(['d_bucket{le="0.005",source="other"} 99', 'd_sum{source="kommo"} 1'])
    .join('\n');

describe('histogramBuckets and quantileBound', () => {
  const before = histogramBuckets(HISTOGRAM([10, 20, 30, 30]), 'd', 'source="kommo"');
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
    it(name, () =>
      assert.equal(
        quantileBound(before, histogramBuckets(HISTOGRAM(counts), 'd', 'source="kommo"'), q),
        expected,
      ),
    );
});
