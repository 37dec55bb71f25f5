import { parsePrometheusText, sampleValue, type Sample } from '@crm/observability/metrics';
import { waitFor } from '@crm/testing';
import type { ServerProcess } from './server-process.js';

export {
  histogramBuckets,
  quantileBound,
  sampleValue,
  type Sample,
} from '@crm/observability/metrics';

const SCRAPE_TIMEOUT_MS = 5_000;

/**
 * One scrape of a server's /metrics, parsed, tried again for up to
 * SCRAPE_TIMEOUT_MS (a keep-alive socket the server closes as it is reused
 * fails a request); the error then says whether the server is still running.
 */
export async function scrapeMetrics(server: ServerProcess): Promise<Sample[]> {
  let text: string;
  try {
    text = await waitFor(
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
  return parsePrometheusText(text);
}

/** A counter's value; 0 while it has no sample yet (a labelled counter appears on its first increment). */
export function counterValue(
  samples: readonly Sample[],
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number {
  return sampleValue(samples, name, labels) ?? 0;
}
