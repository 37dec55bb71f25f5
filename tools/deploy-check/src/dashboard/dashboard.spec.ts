import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../manifests/overlays.js';
import {
  dashboardMetrics,
  knownMetrics,
  promqlMetrics,
  type Dashboard,
} from './dashboard-metrics.js';

const FILE = join(ROOT, 'tools/deploy/grafana/crm-webhook-dashboard.json');

describe('Grafana dashboard (tools/deploy/grafana)', () => {
  const dashboard = JSON.parse(readFileSync(FILE, 'utf8')) as Dashboard & {
    uid: string;
    templating: unknown;
  };

  it('queries only metrics the services define (or ingress is adding)', () => {
    const known = knownMetrics(ROOT);
    const missing = dashboardMetrics(dashboard).filter((name) => !known.has(name));
    assert.deepEqual(missing, []);
  });

  it('covers throughput, latency, rejections, retries, DLQ, lag, connections and the spool', () => {
    const rows = dashboard.panels
      .filter((panel) => panel.type === 'row')
      .map((panel) => panel.title);
    assert.deepEqual(rows, [
      'Throughput',
      'Latency',
      'Rejections',
      'Retries',
      'Dead letters',
      'Consumer lag',
      'Connections',
      'Spool',
    ]);
    const used = dashboardMetrics(dashboard);
    for (const metric of [
      'ingress_requests_total',
      'ingress_request_duration_seconds',
      'crm_consumer_lag',
      'crm_consumer_records_total',
      'crm_webhook_last_received_timestamp_seconds',
      'crm_webhooks_rejected_total',
      'ingress_refused_total',
      'ingress_spool_oldest_age_seconds',
    ])
      assert.ok(used.includes(metric), metric);
  });

  it('has unique panel ids and a target on every graph', () => {
    const ids = dashboard.panels.map((panel) => panel.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const panel of dashboard.panels.filter((entry) => entry.type !== 'row'))
      assert.ok((panel.targets ?? []).length > 0, panel.title);
  });

  it('has a per-connection table of merged instant queries, one column each', () => {
    const table = dashboard.panels.find((panel) => panel.type === 'table') as
      | (Dashboard['panels'][number] & {
          targets: { expr: string; instant?: boolean; format?: string }[];
          transformations: { id: string }[];
        })
      | undefined;
    assert.ok(table, 'no table panel');
    for (const target of table.targets) {
      assert.equal(target.instant, true, target.expr);
      assert.equal(target.format, 'table', target.expr);
      assert.match(target.expr, /by \(connection\)/, target.expr);
    }
    assert.equal(table.transformations[0]?.id, 'merge');
  });

  it('fails on a metric nobody defines', () => {
    const known = knownMetrics(ROOT);
    assert.ok(!known.has('crm_webhooks_recieved_total'));
    assert.ok(known.has('crm_webhooks_received_total'), 'announced by ingress');
    assert.ok(known.has('crm_webhooks_verified_total'), 'defined by the verifier');
  });

  it('reads metric names out of PromQL, folding histogram series', () => {
    const names = dashboardMetrics({
      panels: [
        {
          id: 1,
          type: 'timeseries',
          title: 't',
          targets: [
            {
              expr: 'histogram_quantile(0.9, sum by (le) (rate(a_seconds_bucket{x="y_z"}[$__rate_interval]))) / b_total',
            },
          ],
        },
      ],
    });
    assert.deepEqual(names, ['a_seconds', 'b_total']);
    assert.deepEqual(
      promqlMetrics(
        'time() - max by (connection) (max_over_time(c_seconds[1d])) > on (connection) group_left (x_y) d_seconds offset 5m',
      ),
      ['c_seconds', 'd_seconds'],
    );
  });
});
