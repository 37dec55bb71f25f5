import { join } from 'node:path';
import type { Admin } from '@crm/kafka';
import { median, recordCount } from '@crm/testing';
import type { ClosedLoopResult } from './autocannon.js';
import { BASELINES, ROUNDS, WEBHOOK, log } from './bench-settings.js';
import { startIngress, type IngressOptions } from './ingress-process.js';
import { maxPhase, sendWebhooks, type MaxPhase } from './max-phase.js';
import { runOpenLoop, type OpenLoopResult } from './open-loop.js';
import { peakRssMb } from './process-stats.js';
import { counterValue, scrapeMetrics } from './prometheus-text.js';
import { startServer } from './server-process.js';

export interface Medians {
  readonly rps: number;
  readonly cpuUsPerReq: number;
  readonly p99Ms: number;
}

export interface NormalPhases {
  readonly ingress: Medians;
  readonly ceiling: Medians;
  /** Ingress's CPU per request ÷ the ceiling's, by round. */
  readonly cpuRatios: readonly number[];
  readonly fixed: OpenLoopResult;
  readonly rssMb: number;
  /** ingress_stored_total at the end: how many 200s were made durable in Kafka, how many in the spool. */
  readonly stored: { readonly kafka: number; readonly spool: number };
  readonly ingressRecords: number;
  readonly ingressAcked: number;
  /** Replies other than 2xx, warm-ups included (each answered 503 that lands late adds 2 records). */
  readonly ingressRefused: number;
  readonly naive: MaxPhase;
  readonly naiveRecords: number;
  readonly naiveAcked: number;
  readonly spoolOff?: SpoolOffTwin;
}

/** An ingress with its spool off that took turns with the others (BENCH_SPOOL=compare). */
export interface SpoolOffTwin {
  readonly max: Medians;
  /** The ingress's max req/s ÷ this one's, by round. */
  readonly rpsRatios: readonly number[];
  readonly records: number;
  readonly acked: number;
  readonly refused: number;
}

type Run = { warm: ClosedLoopResult; max: MaxPhase };
type Tally = { readonly ok2xx: number; readonly refused: number };

const medians = (runs: readonly Run[]): Medians => ({
  rps: median(runs.map((run) => run.max.rps)),
  cpuUsPerReq: median(runs.map((run) => run.max.cpuUsPerReq)),
  p99Ms: median(runs.map((run) => run.max.p99Ms)),
});

/** 2xx replies, and the others (errors included), over a warm-up and rounds. */
function tally(warmUp: ClosedLoopResult | undefined, runs: readonly Run[]): Tally {
  const all = [warmUp, ...runs.flatMap((run) => [run.warm, run.max])];
  return {
    ok2xx: all.reduce((sum, run) => sum + (run?.ok2xx ?? 0), 0),
    refused: all.reduce((sum, run) => sum + (run ? run.non2xx + run.errors : 0), 0),
  };
}

/**
 * The broker up: ingress and the bare-http ceiling (and `twinOptions`' ingress
 * with its spool off, if given) take turns at max throughput, then ingress at
 * a fixed 1,000 req/s, then the naive baseline.
 */
export async function normalPhases(
  ingressOptions: IngressOptions,
  naiveTopic: string,
  admin: Admin,
  twinOptions?: IngressOptions,
): Promise<NormalPhases> {
  const ingress = await startIngress('ingress', ingressOptions);
  const twin = twinOptions && (await startIngress('ingress (spool off)', twinOptions));
  const ceiling = await startServer(
    'bare-http',
    join(BASELINES, 'bare-http-server.js'),
    {},
    async (url) => (await fetch(url)).status === 200,
  );
  // Turns, so both see the same machine: on a shared host its speed drifts by tens of percent
  // within minutes, and a ratio of two runs minutes apart measures the drift as much as the code.
  // A longer first warm-up, so round 1 measures optimized code like the others.
  const [ingressWarmUp, , twinWarmUp] = await Promise.all(
    [ingress, ceiling, twin].map((server) =>
      server ? sendWebhooks(server, 20_000) : Promise.resolve(undefined),
    ),
  );
  const ingressRuns: Run[] = [];
  const ceilingRuns: Run[] = [];
  const twinRuns: Run[] = [];
  for (let round = 1; round <= ROUNDS; round += 1) {
    log(`round ${round} of ${ROUNDS}`);
    // The twin goes first every other round: a run right after another ingress finds the
    // broker still busy with that one's records.
    if (twin && round % 2 === 0) twinRuns.push(await maxPhase(twin));
    ingressRuns.push(await maxPhase(ingress));
    if (twin && round % 2 === 1) twinRuns.push(await maxPhase(twin));
    ceilingRuns.push(await maxPhase(ceiling));
  }
  await Promise.all([ceiling.stop(), twin?.stop()]);
  const cpuRatios = ingressRuns.map(
    (run, i) => run.max.cpuUsPerReq / Math.max(1, ceilingRuns[i]?.max.cpuUsPerReq ?? 0),
  );
  log('ingress: open-loop 1,000 req/s for 10 s');
  const fixed = await runOpenLoop({
    url: `${ingress.url}${WEBHOOK.path}`,
    body: WEBHOOK.body,
    headers: WEBHOOK.headers,
    rate: 1_000,
    durationMs: 10_000,
  });
  const rssMb = peakRssMb(ingress.pid);
  const metrics = await scrapeMetrics(ingress);
  await ingress.stop();
  const ingressTally = tally(ingressWarmUp, ingressRuns);
  const twinTally = tally(twinWarmUp, twinRuns);
  const ingressRecords = await recordCount(admin, ingressOptions.topic);
  const spoolOff = twinOptions && {
    max: medians(twinRuns),
    rpsRatios: ingressRuns.map((run, i) => run.max.rps / Math.max(1, twinRuns[i]?.max.rps ?? 0)),
    records: await recordCount(admin, twinOptions.topic),
    acked: twinTally.ok2xx,
    refused: twinTally.refused,
  };

  const naiveServer = await startServer(
    'naive-nest',
    join(BASELINES, 'naive-nest-server.js'),
    { KAFKA_BROKERS: ingressOptions.brokers, BENCH_TOPIC: naiveTopic },
    async (url) => (await fetch(url)).status > 0,
  );
  const naive = await maxPhase(naiveServer);
  await naiveServer.stop();
  return {
    ingress: medians(ingressRuns),
    ceiling: medians(ceilingRuns),
    cpuRatios,
    fixed,
    rssMb,
    stored: {
      kafka: counterValue(metrics, 'ingress_stored_total', { where: 'kafka' }),
      spool: counterValue(metrics, 'ingress_stored_total', { where: 'spool' }),
    },
    ingressRecords,
    ingressAcked: ingressTally.ok2xx + fixed.ok,
    ingressRefused: ingressTally.refused + fixed.failed,
    naive: naive.max,
    naiveRecords: await recordCount(admin, naiveTopic),
    naiveAcked: naive.warm.ok2xx + naive.max.ok2xx,
    spoolOff,
  };
}
