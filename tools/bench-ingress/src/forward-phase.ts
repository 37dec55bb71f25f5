import type { Admin } from '@crm/kafka';
import { recordCount, waitFor } from '@crm/testing';
import { log } from './bench-settings.js';
import { forwardRates, type ForwardRates, type ForwardSample } from './forward-rate.js';
import { startIngress, type IngressOptions } from './ingress-process.js';
import { counterValue, sampleValue, scrapeMetrics } from './prometheus-text.js';

const FORWARD_POLL_MS = 50;
const FORWARD_TIMEOUT_MS = 600_000;

export interface ForwardPhase extends ForwardRates {
  /** Records on the topic once the spool is empty. */
  readonly records: number;
}

/**
 * Ingress on the spooled phase's spool directory with the broker back: polls
 * /metrics every FORWARD_POLL_MS until the spool is empty, then counts the topic.
 */
export async function forwardPhase(options: IngressOptions, admin: Admin): Promise<ForwardPhase> {
  log('ingress (forward): the same spool directory, the broker reachable');
  const startedAtMs = performance.now();
  const ingress = await startIngress('ingress (forward)', options);
  const samples: ForwardSample[] = [];
  try {
    const rates = await waitFor(
      async () => {
        const metrics = await scrapeMetrics(ingress);
        samples.push({
          atMs: performance.now(),
          forwarded: counterValue(metrics, 'ingress_spool_forwarded_total'),
          records: sampleValue(metrics, 'ingress_spool_records') ?? Number.NaN,
        });
        return forwardRates(samples, startedAtMs);
      },
      {
        intervalMs: FORWARD_POLL_MS,
        timeoutMs: FORWARD_TIMEOUT_MS,
        description: 'the spool forwarded (ingress_spool_records 0)',
      },
    );
    return { ...rates, records: await recordCount(admin, options.topic) };
  } finally {
    await ingress.stop();
  }
}
