import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../manifests/overlays.js';
import { dashboardMetrics, definedMetrics, type Dashboard } from './dashboard-metrics.js';

const FILE = join(ROOT, 'tools/deploy/grafana/crm-webhook-dashboard.json');

describe('Grafana dashboard (tools/deploy/grafana)', () => {
  const dashboard = JSON.parse(readFileSync(FILE, 'utf8')) as Dashboard & {
    uid: string;
    templating: unknown;
  };

  it('queries only metrics the services define', () => {
    const defined = definedMetrics(ROOT);
    const missing = dashboardMetrics(dashboard).filter((name) => !defined.has(name));
    assert.deepEqual(missing, []);
  });

  it('covers throughput, latency, rejections, retries, DLQ and lag', () => {
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
    ]);
    const used = dashboardMetrics(dashboard);
    for (const metric of [
      'ingress_requests_total',
      'ingress_request_duration_seconds',
      'crm_consumer_lag',
      'crm_consumer_records_total',
    ])
      assert.ok(used.includes(metric), metric);
  });

  it('has unique panel ids and a target on every graph', () => {
    const ids = dashboard.panels.map((panel) => panel.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const panel of dashboard.panels.filter((entry) => entry.type !== 'row'))
      assert.ok((panel.targets ?? []).length > 0, panel.title);
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
  });
});
