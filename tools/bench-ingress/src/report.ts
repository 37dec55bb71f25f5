import { median } from '@crm/testing';
import { ROUNDS } from './bench-settings.js';
import type { NormalPhases } from './normal-phases.js';
import type { ForwardPhase } from './forward-phase.js';
import { SPOOLED_RATE, type SpooledPhase } from './spooled-phase.js';

export interface SpoolPhases {
  readonly spooled: SpooledPhase;
  readonly forward: ForwardPhase;
}

type Row = [string, string, string, string, string];

const out = (line: string): void => void process.stdout.write(`${line}\n`);
const round = (value: number, digits = 2): number => Number(value.toFixed(digits));
const ms = (value: number): string => value.toFixed(2);

function printTable(rows: readonly Row[]): void {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => row[i]?.length ?? 0))) ?? [];
  for (const row of rows) out(row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  '));
}

function tableRows(normal: NormalPhases, spool: SpoolPhases | undefined): Row[] {
  const rows: Row[] = [
    ['server', 'max 2xx req/s', 'CPU µs/req', 'p99 ms (max load)', 'records = 2xx'],
    [
      'ingress (batching)',
      normal.ingress.rps.toFixed(0),
      normal.ingress.cpuUsPerReq.toFixed(0),
      String(normal.ingress.p99Ms),
      `${normal.ingressRecords} = ${normal.ingressAcked}`,
    ],
    [
      'bare http (ceiling)',
      normal.ceiling.rps.toFixed(0),
      normal.ceiling.cpuUsPerReq.toFixed(0),
      String(normal.ceiling.p99Ms),
      'n/a (no Kafka)',
    ],
    [
      'naive Nest+ClientKafka',
      normal.naive.rps.toFixed(0),
      normal.naive.cpuUsPerReq.toFixed(0),
      String(normal.naive.p99Ms),
      `${normal.naiveRecords} = ${normal.naiveAcked}`,
    ],
  ];
  const twin = normal.spoolOff;
  if (twin)
    rows.splice(2, 0, [
      'ingress (spool off)',
      twin.max.rps.toFixed(0),
      twin.max.cpuUsPerReq.toFixed(0),
      String(twin.max.p99Ms),
      `${twin.records} = ${twin.acked}`,
    ]);
  if (spool)
    rows.push([
      'ingress (spooled)',
      spool.spooled.max.rps.toFixed(0),
      spool.spooled.max.cpuUsPerReq.toFixed(0),
      String(spool.spooled.max.p99Ms),
      `${spool.forward.records} = ${spool.spooled.ok2xx} (after forward)`,
    ]);
  return rows;
}

function printSpool({ spooled, forward }: SpoolPhases): void {
  const { result: fixed, fsyncs, serverP99BoundS } = spooled.fixed;
  const serverP99 =
    serverP99BoundS === undefined ? 'n/a' : `≤ ${(serverP99BoundS * 1000).toFixed(0)} ms`;
  out(
    `spooled: KAFKA_BROKERS names a port where nothing listens, so the producer never connects (the path of a stopped broker) and every webhook is spooled at once; ${spooled.failures} replies other than 200 "spooled" (errors included); stored_total kafka ${spooled.stored.kafka}, spool ${spooled.stored.spool}; peak RSS ${spooled.rssMb.toFixed(0)} MiB`,
  );
  out(
    `spooled at max load: ${spooled.max.rps.toFixed(0)} req/s, p50 ${spooled.max.p50Ms} ms, p99 ${spooled.max.p99Ms} ms; ${spooled.maxFsyncs.perS.toFixed(0)} fsync batches/s, ${spooled.maxFsyncs.recordsPerFsync.toFixed(1)} records per fsync`,
  );
  out(
    `spooled at a fixed ${SPOOLED_RATE.toLocaleString('en')} req/s (open loop, ${fixed.sent} requests): p50 ${ms(fixed.p50Ms)} ms, p99 ${ms(fixed.p99Ms)} ms, max ${fixed.maxMs.toFixed(1)} ms, non-2xx ${fixed.failed}, 2xx not "spooled" ${fixed.mismatched}, generator lag p99 ${ms(fixed.lagP99Ms)} ms; ingress's own histogram p99 ${serverP99}; ${fsyncs.perS.toFixed(0)} fsync batches/s, ${fsyncs.recordsPerFsync.toFixed(1)} records per fsync`,
  );
  out(
    `forward after recovery (same spool dir, broker reachable): ${forward.forwarded} records forwarded, ${forward.fromFirstPerS.toFixed(0)} records/s from the first forwarded record to empty, ${forward.fromStartPerS.toFixed(0)} records/s from process start to empty (${forward.startToEmptyS.toFixed(1)} s); records = 2xx: ${forward.records} = ${spooled.ok2xx}`,
  );
  const met = (ok: boolean): string => (ok ? 'met' : 'missed');
  out(
    `targets: spooled ≥ 5,000 req/s ${met(spooled.max.rps >= 5_000)}; p99 ≤ 50 ms at ${SPOOLED_RATE.toLocaleString('en')} req/s ${met(fixed.p99Ms <= 50)}; forward ≥ 20,000 records/s ${met(forward.fromFirstPerS >= 20_000)}`,
  );
}

/** The table, the detail lines, and last the JSON line. */
export function printReport(normal: NormalPhases, spool: SpoolPhases | undefined): void {
  const twin = normal.spoolOff;
  printTable(tableRows(normal, spool));
  const { fixed } = normal;
  out(
    `ingress at a fixed 1,000 req/s (open loop, ${fixed.sent} requests): p50 ${ms(fixed.p50Ms)} ms, p99 ${ms(fixed.p99Ms)} ms, max ${fixed.maxMs.toFixed(1)} ms, non-2xx ${fixed.failed}, generator lag p99 ${ms(fixed.lagP99Ms)} ms; ingress peak RSS ${normal.rssMb.toFixed(0)} MiB`,
  );
  out(
    `CPU per request, ingress ÷ ceiling, by round: ${normal.cpuRatios.map((ratio) => ratio.toFixed(2)).join(', ')} (median ${median(normal.cpuRatios).toFixed(2)}); table values are medians of ${ROUNDS} rounds`,
  );
  out(
    `ingress normal path (${spool ? 'spool on' : 'spool off'}): 200s stored in Kafka ${normal.stored.kafka}, in the spool ${normal.stored.spool}; replies other than 2xx ${normal.ingressRefused}${twin ? ` (spool off: ${twin.refused})` : ''}, warm-ups included; max req/s ÷ the ceiling's ${(normal.ingress.rps / Math.max(1, normal.ceiling.rps)).toFixed(3)}`,
  );
  if (twin)
    out(
      `normal path, max req/s with the spool on ÷ off, by round: ${twin.rpsRatios.map((ratio) => ratio.toFixed(2)).join(', ')} (median ${median(twin.rpsRatios).toFixed(2)})`,
    );
  if (spool) printSpool(spool);
  const spoolKeys = spool && {
    spooled_rps: Math.round(spool.spooled.max.rps),
    spooled_p99_ms_at_5000: round(spool.spooled.fixed.result.p99Ms),
    spooled_fsyncs_per_s: Math.round(spool.spooled.maxFsyncs.perS),
    records_per_fsync: round(spool.spooled.maxFsyncs.recordsPerFsync, 1),
    forward_records_per_s: Math.round(spool.forward.fromFirstPerS),
    spooled_records_match: spool.forward.records === spool.spooled.ok2xx,
    spooled_failures: spool.spooled.failures,
  };
  const twinKeys = twin && {
    spool_off_rps: Math.round(twin.max.rps),
    spool_on_vs_off: round(median(twin.rpsRatios)),
    spool_off_records_match: twin.records === twin.acked,
  };
  out(
    JSON.stringify({
      ingress_rps: Math.round(normal.ingress.rps),
      p50_ms_at_1000: round(fixed.p50Ms),
      p99_ms_at_1000: round(fixed.p99Ms),
      rss_mb: Math.round(normal.rssMb),
      cpu_us_per_req: Math.round(normal.ingress.cpuUsPerReq),
      ceiling_rps: Math.round(normal.ceiling.rps),
      ceiling_cpu_us_per_req: Math.round(normal.ceiling.cpuUsPerReq),
      cpu_ratio_vs_ceiling: round(median(normal.cpuRatios)),
      naive_rps: Math.round(normal.naive.rps),
      naive_cpu_us_per_req: Math.round(normal.naive.cpuUsPerReq),
      ratio_vs_naive: round(normal.ingress.rps / Math.max(1, normal.naive.rps)),
      records_match:
        normal.ingressRecords === normal.ingressAcked && normal.naiveRecords === normal.naiveAcked,
      ...twinKeys,
      ...spoolKeys,
    }),
  );
}
