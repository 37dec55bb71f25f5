import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Prometheus adds these to a histogram's (or summary's) name. */
const SERIES_SUFFIX = /_(bucket|sum|count)$/;
/** Label lists of aggregations and vector matching: `by (le)`, `on (connection)`, `group_left ()`. */
const LABEL_LISTS = /\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g;
/** Keywords with an underscore (the others have none, so cannot be taken for a metric). */
const KEYWORDS = new Set(['group_left', 'group_right']);

/**
 * Metrics another change adds to apps/ingress (per-connection receipts and
 * refusals, the spool): the dashboard and the alert rules use them already.
 * Every other name they query must be registered in apps/ or libs/.
 */
export const ANNOUNCED_METRICS: readonly string[] = [
  'crm_webhooks_received_total',
  'crm_webhook_last_received_timestamp_seconds',
  'crm_connection_expected_interval_seconds',
  'ingress_refused_total',
  'ingress_spool_bytes',
  'ingress_spool_records',
  'ingress_spool_oldest_age_seconds',
  'ingress_spool_forwarded_total',
];

export interface Dashboard {
  panels: { id: number; type: string; title: string; targets?: { expr: string }[] }[];
}

/**
 * The metric names (histogram series folded to their metric) a PromQL
 * expression reads: identifiers with an underscore that are neither called
 * (functions, aggregations) nor label names, strings or durations.
 */
export function promqlMetrics(expr: string): string[] {
  const names = new Set<string>();
  const bare = expr
    .replace(/"[^"]*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(LABEL_LISTS, '');
  for (const match of bare.matchAll(/\b([a-z_][a-z0-9_]*)\b(\s*\()?/g)) {
    const [, token = '', call] = match;
    if (token.includes('_') && call === undefined && !KEYWORDS.has(token))
      names.add(token.replace(SERIES_SUFFIX, ''));
  }
  return [...names].sort();
}

/** The metric names every PromQL expression of the dashboard reads. */
export function dashboardMetrics(dashboard: Dashboard): string[] {
  const exprs = dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((t) => t.expr));
  return [...new Set(exprs.flatMap(promqlMetrics))].sort();
}

function walk(dir: string, found: string[]): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, found);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) found.push(path);
  }
  return found;
}

/** Metric names registered in the runtime code of apps/ and libs/ (`name: '...'` of prom-client metrics). */
export function definedMetrics(root: string): Set<string> {
  const names = new Set<string>();
  for (const group of ['apps', 'libs']) {
    if (!existsSync(join(root, group))) continue;
    for (const project of readdirSync(join(root, group))) {
      const src = join(root, group, project, 'src');
      if (!existsSync(src)) continue;
      for (const file of walk(src, [])) {
        for (const match of readFileSync(file, 'utf8').matchAll(/\bname:\s*'([a-z_][a-z0-9_]*)'/g))
          if (match[1]) names.add(match[1]);
      }
    }
  }
  return names;
}

/** What the dashboard and the alert rules may query: the defined metrics and the announced ones. */
export function knownMetrics(root: string): Set<string> {
  return new Set([...definedMetrics(root), ...ANNOUNCED_METRICS]);
}
