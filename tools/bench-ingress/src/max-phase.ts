import { runAutocannon, type ClosedLoopResult } from './autocannon.js';
import { CONNECTIONS, MAX_SECONDS, ROOT, WEBHOOK, log } from './bench-settings.js';
import { cpuSeconds } from './process-stats.js';
import type { ServerProcess } from './server-process.js';

export interface MaxPhase extends ClosedLoopResult {
  readonly cpuUsPerReq: number;
}

export interface MaxPhaseOptions {
  /** Counts a reply whose body lacks this as a mismatch. */
  readonly expectBodyIncludes?: string;
  /** A counter of the server (e.g. its fsyncs), read just before and after the measured run. */
  readonly counter?: () => Promise<number>;
}

/** `amount` webhooks over CONNECTIONS connections, e.g. a warm-up. */
export function sendWebhooks(
  server: ServerProcess,
  amount: number,
  expectBodyIncludes?: string,
): Promise<ClosedLoopResult> {
  return runAutocannon(ROOT, {
    url: `${server.url}${WEBHOOK.path}`,
    body: WEBHOOK.body,
    headers: WEBHOOK.headers,
    connections: CONNECTIONS,
    amount,
    expectBodyIncludes,
  });
}

/**
 * Warm up, then run autocannon flat out and charge the server's CPU time to
 * its 2xx answers; `counted` is how far `options.counter` moved in the measured run.
 */
export async function maxPhase(
  server: ServerProcess,
  options: MaxPhaseOptions = {},
): Promise<{ warm: ClosedLoopResult; max: MaxPhase; counted: number }> {
  const warm = await sendWebhooks(server, 5_000, options.expectBodyIncludes);
  const counterBefore = (await options.counter?.()) ?? 0;
  const cpuBefore = cpuSeconds(server.pid);
  const result = await sendWebhooks(
    server,
    // About MAX_SECONDS at twice the warm-up rate (the warm-up runs partly unoptimized code).
    Math.round(Math.max(2_000, Math.min(400_000, 2 * warm.rps * MAX_SECONDS))),
    options.expectBodyIncludes,
  );
  const cpu = cpuSeconds(server.pid) - cpuBefore;
  const counted = ((await options.counter?.()) ?? 0) - counterBefore;
  log(
    `${server.name}: ${result.rps.toFixed(0)} req/s (2xx ${result.ok2xx}, non-2xx ${result.non2xx}, errors ${result.errors}), ${cpu.toFixed(2)} CPU s`,
  );
  const max = { ...result, cpuUsPerReq: (cpu * 1e6) / Math.max(1, result.ok2xx) };
  return { warm, max, counted };
}
