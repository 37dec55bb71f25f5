import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const PROMETHEUS_DIR = 'tools/deploy/prometheus';
export const RULES_FILE = `${PROMETHEUS_DIR}/crm-alerts.rules.yaml`;
export const RULE_TESTS_FILE = `${PROMETHEUS_DIR}/crm-alerts.test.yaml`;
export const PROMETHEUS_RULE_FILE = 'tools/deploy/kubernetes/optional/prometheus-rule.yaml';
export const RUNBOOK_FILE = 'docs/alerts.md';

const SEVERITIES = new Set(['critical', 'warning']);
const ANNOTATIONS = ['summary', 'description', 'runbook_url'];

export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface RulesFile {
  readonly groups: readonly { readonly name: string; readonly rules: readonly AlertRule[] }[];
}

interface ExpectedAlert {
  readonly exp_labels?: Readonly<Record<string, string>>;
}

/** A `promtool test rules` file, as far as the coverage check reads it. */
export interface RuleTests {
  readonly tests: readonly {
    readonly name: string;
    readonly alert_rule_test?: readonly {
      readonly eval_time: string;
      readonly alertname: string;
      readonly exp_alerts?: readonly ExpectedAlert[] | null;
    }[];
  }[];
}

export function readYaml<T>(root: string, file: string): T {
  return parse(readFileSync(join(root, file), 'utf8')) as T;
}

export function alertRules(rules: RulesFile): AlertRule[] {
  return rules.groups.flatMap((group) => group.rules);
}

/** GitHub's anchors of a markdown document's headings (`### ConnectionSilent` -> `connectionsilent`). */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  for (const [, title = ''] of markdown.matchAll(/^#{1,6}\s+(.+?)\s*$/gm))
    anchors.add(
      title
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .replace(/\s/g, '-'),
    );
  return anchors;
}

/** Each rule: a severity, a summary, a description, and a runbook_url to its alert's section of the runbook. */
export function ruleProblems(rules: RulesFile, runbook: string): string[] {
  const anchors = headingAnchors(runbook);
  const problems: string[] = [];
  for (const rule of alertRules(rules)) {
    const severity = rule.labels?.['severity'] ?? '';
    if (!SEVERITIES.has(severity))
      problems.push(`${rule.alert}: severity "${severity}" (want critical or warning)`);
    for (const name of ANNOTATIONS)
      if (!rule.annotations?.[name]?.trim()) problems.push(`${rule.alert}: no ${name} annotation`);
    const anchor = rule.alert.toLowerCase();
    const url = rule.annotations?.['runbook_url'] ?? '';
    if (!url.endsWith(`/${RUNBOOK_FILE}#${anchor}`))
      problems.push(`${rule.alert}: runbook_url ${url} does not end in /${RUNBOOK_FILE}#${anchor}`);
    if (!anchors.has(anchor))
      problems.push(`${rule.alert}: no "${rule.alert}" heading in ${RUNBOOK_FILE}`);
  }
  return problems;
}

/**
 * Every alert has a test where it stays silent, and every rule (alert and
 * severity) one where it fires.
 */
export function coverageProblems(rules: RulesFile, tests: RuleTests): string[] {
  const checks = tests.tests.flatMap((test) => test.alert_rule_test ?? []);
  const problems: string[] = [];
  for (const alert of new Set(alertRules(rules).map((rule) => rule.alert))) {
    const mine = checks.filter((check) => check.alertname === alert);
    if (!mine.some((check) => (check.exp_alerts ?? []).length === 0))
      problems.push(`${alert}: no test where it stays silent`);
  }
  for (const rule of alertRules(rules)) {
    const severity = rule.labels?.['severity'];
    const fired = checks.some(
      (check) =>
        check.alertname === rule.alert &&
        (check.exp_alerts ?? []).some((alert) => alert.exp_labels?.['severity'] === severity),
    );
    if (!fired) problems.push(`${rule.alert} (${String(severity)}): no test where it fires`);
  }
  return problems;
}
