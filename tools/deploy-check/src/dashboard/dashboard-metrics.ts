import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Prometheus adds these to a histogram's (or summary's) name. */
const SERIES_SUFFIX = /_(bucket|sum|count)$/;
const FUNCTIONS = new Set(['sum', 'rate', 'histogram_quantile', 'by', 'le']);

export interface Dashboard {
  panels: { id: number; type: string; title: string; targets?: { expr: string }[] }[];
}

/** The metric names (histogram series folded to their metric) every PromQL expression of the dashboard reads. */
export function dashboardMetrics(dashboard: Dashboard): string[] {
  const names = new Set<string>();
  for (const panel of dashboard.panels) {
    for (const { expr } of panel.targets ?? []) {
      const withoutLabels = expr
        .replace(/\{[^}]*\}/g, '')
        .replace(/\[[^\]]*\]/g, '')
        .replace(/"[^"]*"/g, '');
      for (const [token] of withoutLabels.matchAll(/\b[a-z_][a-z0-9_]*\b/g)) {
        if (token.includes('_') && !FUNCTIONS.has(token))
          names.add(token.replace(SERIES_SUFFIX, ''));
      }
    }
  }
  return [...names].sort();
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
