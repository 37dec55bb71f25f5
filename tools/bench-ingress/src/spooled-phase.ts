import { freePort } from '@crm/testing';
import type { ClosedLoopResult } from './autocannon.js';
import { WEBHOOK, log } from './bench-settings.js';
import { startIngress, type IngressOptions } from './ingress-process.js';
import { maxPhase, sendWebhooks, type MaxPhase } from './max-phase.js';
import { runOpenLoop, type OpenLoopResult } from './open-loop.js';
import { peakRssMb } from './process-stats.js';
import {
  counterValue,
  histogramBuckets,
  quantileBound,
  scrapeMetrics,
  type Sample,
} from './prometheus-text.js';
import type { ServerProcess } from './server-process.js';

/** The open-loop rate the spooled path's latency target is stated at. */
export const SPOOLED_RATE = 5_000;
const SPOOLED_REPLY = '"stored":"spooled"';
const FSYNCS = 'ingress_spool_fsyncs_total';
const DURATION = 'ingress_request_duration_seconds';

export interface FsyncRate {
  readonly perS: number;
  readonly recordsPerFsync: number;
}

export interface SpooledOpenLoop {
  readonly result: OpenLoopResult;
  readonly fsyncs: FsyncRate;
  /** The bucket of ingress's own request-duration histogram that holds the p99, seconds. */
  readonly serverP99BoundS: number | undefined;
}

export interface SpooledPhase {
  /** Every 2xx reply of the phase: the records the topic must hold after forwarding. */
  readonly ok2xx: number;
  /** Replies other than 200 "spooled", and connection errors. */
  readonly failures: number;
  readonly max: MaxPhase;
  readonly maxFsyncs: FsyncRate;
  readonly fixed: SpooledOpenLoop;
  /** ingress_stored_total at the end, by where. */
  readonly stored: { readonly kafka: number; readonly spool: number };
  readonly rssMb: number;
}

const failuresOf = (run: ClosedLoopResult): number => run.non2xx + run.errors + run.mismatches;
const fsyncRate = (fsyncs: number, records: number, seconds: number): FsyncRate => ({
  perS: fsyncs / seconds,
  recordsPerFsync: records / Math.max(1, fsyncs),
});

/** SPOOLED_RATE req/s for 10 s, with ingress's own view from /metrics before and after. */
async function openLoop(ingress: ServerProcess): Promise<SpooledOpenLoop> {
  log(`ingress (spooled): open-loop ${SPOOLED_RATE.toLocaleString('en')} req/s for 10 s`);
  const before = await scrapeMetrics(ingress);
  const startedAt = performance.now();
  const result = await runOpenLoop({
    url: `${ingress.url}${WEBHOOK.path}`,
    body: WEBHOOK.body,
    headers: WEBHOOK.headers,
    rate: SPOOLED_RATE,
    durationMs: 10_000,
    expectBodyIncludes: SPOOLED_REPLY,
  });
  // To the last reply: when ingress falls behind, its fsyncs go on past the 10 s.
  const seconds = (performance.now() - startedAt) / 1000;
  const after = await scrapeMetrics(ingress);
  const fsyncs = counterValue(after, FSYNCS) - counterValue(before, FSYNCS);
  const series = (metrics: readonly Sample[]): Map<number, number> =>
    histogramBuckets(metrics, DURATION, { source: 'kommo' });
  return {
    result,
    fsyncs: fsyncRate(fsyncs, result.ok, seconds),
    serverP99BoundS: quantileBound(series(before), series(after), 0.99),
  };
}

/**
 * Ingress with its broker unreachable (nothing listens on the port it is given:
 * the producer never connects, the same path as a stopped broker), so every
 * webhook is appended to the spool and answered at once. Max throughput, then
 * SPOOLED_RATE req/s open loop for 10 s; group commits from its /metrics.
 */
export async function spooledPhase(
  options: Omit<IngressOptions, 'brokers'>,
): Promise<SpooledPhase> {
  const ingress = await startIngress('ingress (spooled)', {
    ...options,
    brokers: `127.0.0.1:${await freePort()}`,
    // It exits without draining: the next phase forwards the spool.
    env: { ...options.env, INGRESS_SPOOL_DRAIN_TIMEOUT_MS: '0' },
  });
  try {
    log('ingress (spooled): broker unreachable, warm-up, then max throughput');
    const warm = await sendWebhooks(ingress, 20_000, SPOOLED_REPLY);
    const run = await maxPhase(ingress, {
      expectBodyIncludes: SPOOLED_REPLY,
      counter: async () => counterValue(await scrapeMetrics(ingress), FSYNCS),
    });
    const fixed = await openLoop(ingress);
    const metrics = await scrapeMetrics(ingress);
    return {
      ok2xx: warm.ok2xx + run.warm.ok2xx + run.max.ok2xx + fixed.result.ok,
      failures:
        failuresOf(warm) +
        failuresOf(run.warm) +
        failuresOf(run.max) +
        fixed.result.failed +
        fixed.result.mismatched,
      max: run.max,
      maxFsyncs: fsyncRate(run.counted, run.max.ok2xx, run.max.durationS),
      fixed,
      stored: {
        kafka: counterValue(metrics, 'ingress_stored_total', { where: 'kafka' }),
        spool: counterValue(metrics, 'ingress_stored_total', { where: 'spool' }),
      },
      rssMb: peakRssMb(ingress.pid),
    };
  } finally {
    await ingress.stop();
  }
}
