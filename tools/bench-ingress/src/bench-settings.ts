import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
export const MAX_SECONDS = Number(process.env['BENCH_SECONDS'] ?? 6);
/** Ingress and the ceiling take turns this many times; the report uses the medians. */
export const ROUNDS = Math.max(1, Number(process.env['BENCH_ROUNDS'] ?? 5));
export const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 64);
/**
 * `off`: ingress runs with INGRESS_SPOOL_ENABLED=false and the spool phases are skipped.
 * `compare`: as `on`, plus a second ingress with the spool off in the max-throughput rounds.
 */
export const SPOOL =
  (['off', 'compare'] as const).find((mode) => mode === process.env['BENCH_SPOOL']) ?? 'on';
export const TOKEN = 'bench-token';

/** One webhook, sent by every phase. */
export const WEBHOOK = {
  path: `/webhooks/kommo/bench-kommo?token=${TOKEN}`,
  // A Kommo digital-pipeline delivery as Kommo's PHP encoder sends it (309 bytes).
  body: Buffer.from(
    'leads%5Bstatus%5D%5B0%5D%5Bid%5D=25431551&leads%5Bstatus%5D%5B0%5D%5Bstatus_id%5D=34354531' +
      '&leads%5Bstatus%5D%5B0%5D%5Bpipeline_id%5D=3273697&leads%5Bstatus%5D%5B0%5D%5Bold_status_id%5D=35108005' +
      '&leads%5Bstatus%5D%5B0%5D%5Bold_pipeline_id%5D=3273697&account%5Bid%5D=23681254&account%5Bsubdomain%5D=impactcapital',
  ),
  headers: {
    'content-type': 'application/x-www-form-urlencoded',
    'user-agent': 'amoCRM-WebHook-client/1.0',
  },
} as const;

/** The connections file every ingress of a run reads (no rate limit in the way). */
export const CONNECTIONS_YAML = `connections:\n  - { id: bench-kommo, source: kommo, secrets: [${TOKEN}], rateLimit: { rps: 1000000, burst: 1000000 } }\n`;

export const INGRESS_ENTRY = join(ROOT, 'apps/ingress/dist/main.js');
export const BASELINES = join(ROOT, 'tools/bench-ingress/dist/servers');

export const log = (line: string): void => void process.stderr.write(`bench: ${line}\n`);
