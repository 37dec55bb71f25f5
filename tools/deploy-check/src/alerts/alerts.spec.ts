import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { knownMetrics, promqlMetrics } from '../dashboard/dashboard-metrics.js';
import { renderKustomization, type K8sObject } from '../kustomize/render-kustomization.js';
import { KUBERNETES_DIR, ROOT } from '../manifests/overlays.js';
import { strictFieldProblems } from '../manifests/strict-fields.js';
import { validateSchema } from '../manifests/validate-schema.js';
import {
  PROMETHEUS_DIR,
  PROMETHEUS_RULE_FILE,
  RULES_FILE,
  RULE_TESTS_FILE,
  RUNBOOK_FILE,
  alertRules,
  coverageProblems,
  readYaml,
  ruleProblems,
  type RuleTests,
  type RulesFile,
} from './alert-rules.js';
import { installed, runTool } from './run-tool.js';

const ALERTS = [
  'ConnectionRejecting',
  'ConnectionSilent',
  'NonRetryingSenderRefused',
  'KommoHookNearSuspension',
  'DeadLettersGrowing',
  'ConsumerLagGrowing',
  'SpoolNotDraining',
];

/** CI installs promtool (Debian's `prometheus`): there its absence fails the run, elsewhere it skips. */
const PROMTOOL = installed('promtool', ['--version'])
  ? false
  : process.env['CI']
    ? false
    : 'promtool not installed (apt-get install -y prometheus)';

function promtool(...args: string[]): string {
  const run = runTool('promtool', args, join(ROOT, PROMETHEUS_DIR));
  assert.equal(run.error, undefined, `promtool did not run (apt-get install -y prometheus)`);
  assert.equal(run.status, 0, run.output);
  return run.output;
}

describe('Prometheus alert rules (tools/deploy/prometheus)', () => {
  const rules = readYaml<RulesFile>(ROOT, RULES_FILE);
  const tests = readYaml<RuleTests>(ROOT, RULE_TESTS_FILE);
  const runbook = readFileSync(join(ROOT, RUNBOOK_FILE), 'utf8');

  it('has the platform alerts', () => {
    assert.deepEqual([...new Set(alertRules(rules).map((rule) => rule.alert))], ALERTS);
  });

  it('passes promtool check rules', { skip: PROMTOOL }, () => {
    assert.match(promtool('check', 'rules', 'crm-alerts.rules.yaml'), /SUCCESS/);
  });

  it(
    'passes promtool test rules: each alert fires when it should and only then',
    { skip: PROMTOOL },
    () => {
      assert.match(promtool('test', 'rules', 'crm-alerts.test.yaml'), /SUCCESS/);
    },
  );

  it('tests every alert silent and every rule firing', () => {
    assert.deepEqual(coverageProblems(rules, tests), []);
  });

  it('labels every rule with a severity and links its runbook section in docs/alerts.md', () => {
    assert.deepEqual(ruleProblems(rules, runbook), []);
  });

  it('queries only metrics the services define (or ingress is adding)', () => {
    const known = knownMetrics(ROOT);
    const unknown = alertRules(rules).flatMap((rule) =>
      promqlMetrics(rule.expr)
        .filter((name) => !known.has(name))
        .map((name) => `${rule.alert}: ${name}`),
    );
    assert.deepEqual(unknown, []);
  });

  describe('the checks fail on broken rules', () => {
    it('a missing severity, annotation or runbook section', () => {
      const broken: RulesFile = {
        groups: [
          {
            name: 'g',
            rules: [
              {
                alert: 'NoRunbook',
                expr: 'up == 0',
                labels: { severity: 'page' },
                annotations: { summary: 's', runbook_url: 'https://x/docs/alerts.md#other' },
              },
            ],
          },
        ],
      };
      assert.deepEqual(ruleProblems(broken, '## Elsewhere\n'), [
        'NoRunbook: severity "page" (want critical or warning)',
        'NoRunbook: no description annotation',
        'NoRunbook: runbook_url https://x/docs/alerts.md#other does not end in /docs/alerts.md#norunbook',
        'NoRunbook: no "NoRunbook" heading in docs/alerts.md',
      ]);
    });

    it('an alert never tested silent, a rule never tested firing', () => {
      const only = { alert: 'A', expr: 'up == 0', labels: { severity: 'warning' } };
      const fires: RuleTests = {
        tests: [
          {
            name: 't',
            alert_rule_test: [
              {
                eval_time: '1m',
                alertname: 'A',
                exp_alerts: [{ exp_labels: { severity: 'critical' } }],
              },
            ],
          },
        ],
      };
      assert.deepEqual(coverageProblems({ groups: [{ name: 'g', rules: [only] }] }, fires), [
        'A: no test where it stays silent',
        'A (warning): no test where it fires',
      ]);
    });
  });
});

describe('PrometheusRule (tools/deploy/kubernetes/optional)', () => {
  const rules = readYaml<RulesFile>(ROOT, RULES_FILE);
  const manifest = readYaml<K8sObject & { spec: RulesFile }>(ROOT, PROMETHEUS_RULE_FILE);
  const dirs: string[] = [];
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('holds exactly the groups of crm-alerts.rules.yaml', () => {
    assert.equal(manifest.kind, 'PrometheusRule');
    assert.deepEqual(
      manifest.spec.groups,
      rules.groups,
      `${PROMETHEUS_RULE_FILE}: spec.groups must equal the groups of ${RULES_FILE}`,
    );
  });

  it('is the one resource of the optional kustomization, valid against the operator schema', async () => {
    const objects = renderKustomization(join(KUBERNETES_DIR, 'optional'));
    assert.deepEqual(
      objects.map((object) => `${object.kind}/${object.metadata.name}`),
      ['PrometheusRule/crm-webhook-alerts'],
    );
    assert.deepEqual(
      (await Promise.all(objects.map((object) => validateSchema(object)))).flat(),
      [],
    );
    assert.deepEqual(strictFieldProblems(objects, ROOT), []);
  });

  const kubectl = installed('kubectl', ['version', '--client']);
  it(
    'joins an overlay with kubectl kustomize (resources: ../../optional)',
    { skip: kubectl ? false : 'kubectl not installed' },
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'optional-overlay-'));
      dirs.push(dir);
      writeFileSync(
        join(dir, 'kustomization.yaml'),
        [
          'namespace: crm-webhook',
          'resources:',
          `  - ${relative(dir, join(KUBERNETES_DIR, 'base'))}`,
          `  - ${relative(dir, join(KUBERNETES_DIR, 'optional'))}`,
          '',
        ].join('\n'),
      );
      const run = runTool('kubectl', ['kustomize', dir], dir);
      assert.equal(run.status, 0, run.output);
      const rule = parseAllDocuments(run.stdout)
        .map((document) => document.toJS() as K8sObject)
        .find((object) => object.kind === 'PrometheusRule');
      assert.equal(rule?.metadata.namespace, 'crm-webhook');
      assert.deepEqual(
        (rule as (K8sObject & { spec: RulesFile }) | undefined)?.spec.groups,
        rules.groups,
      );
    },
  );
});
