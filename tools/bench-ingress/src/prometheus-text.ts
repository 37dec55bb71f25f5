import { waitFor } from '@crm/testing';
import type { ServerProcess } from './server-process.js';

const SCRAPE_TIMEOUT_MS = 5_000;

/**
 * The value of one sample in Prometheus text exposition, e.g.
 * `metricValue(text, 'ingress_stored_total{where="spool"}')`; NaN when absent.
 * `sample` is the metric name plus its labels exactly as the registry prints them.
 */
export function metricValue(text: string, sample: string): number {
  const start = `\n${sample} `;
  const at = `\n${text}`.indexOf(start);
  if (at < 0) return Number.NaN;
  const from = at + start.length - 1;
  const end = text.indexOf('\n', from);
  return Number(text.slice(from, end < 0 ? undefined : end));
}

/**
 * One scrape of a server's /metrics, tried again for up to SCRAPE_TIMEOUT_MS (a
 * keep-alive socket the server closes as it is reused fails a request); the
 * error then says whether the server is still running.
 */
export async function scrapeMetrics(server: ServerProcess): Promise<string> {
  try {
    return await waitFor(
      async () => {
        const response = await fetch(`${server.url}/metrics`);
        if (response.status !== 200) throw new Error(`/metrics answered ${response.status}`);
        return response.text();
      },
      { timeoutMs: SCRAPE_TIMEOUT_MS, intervalMs: 100, description: `${server.name} /metrics` },
    );
  } catch (error) {
    throw new Error(`${String(error)}; ${server.describeExit()}`);
  }
}

/** A counter's value; 0 while it has no sample yet (a labelled counter appears on its first increment). */
export function counterValue(text: string, sample: string): number {
  const value = metricValue(text, sample);
  return Number.isNaN(value) ? 0 : value;
}

/** Cumulative bucket counts of one histogram series: `le` (seconds) → count. */
export function histogramBuckets(text: string, name: string, labels: string): Map<number, number> {
  const buckets = new Map<number, number>();
  const prefix = `${name}_bucket{le="`;
  const suffix = `",${labels}} `;
  for (const line of text.split('\n')) {
    if (!line.startsWith(prefix)) continue;
    const end = line.indexOf(suffix, prefix.length);
    if (end < 0) continue;
    const le = line.slice(prefix.length, end);
    buckets.set(le === '+Inf' ? Infinity : Number(le), Number(line.slice(end + suffix.length)));
  }
  return buckets;
}

/**
 * The upper bound of the bucket holding quantile `q` of what was observed
 * between two scrapes (`before`, `after` from histogramBuckets); undefined
 * when nothing was.
 */
export function quantileBound(
  before: ReadonlyMap<number, number>,
  after: ReadonlyMap<number, number>,
  q: number,
): number | undefined {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const observed = (le: number): number => (after.get(le) ?? 0) - (before.get(le) ?? 0);
  const total = observed(Infinity);
  if (!(total > 0)) return undefined;
  return bounds.find((le) => observed(le) >= q * total);
}
