import { Agent, request } from 'node:http';

export interface OpenLoopResult {
  readonly sent: number;
  readonly ok: number;
  readonly failed: number;
  /** 2xx replies whose body lacked `expectBodyIncludes` (also counted in `ok`). */
  readonly mismatched: number;
  /** Send to full response, milliseconds. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** How late requests left against their schedule (generator health), milliseconds. */
  readonly lagP99Ms: number;
}

/**
 * An open-loop load generator: requests leave on a fixed schedule (rate per
 * second) whether or not earlier ones were answered, over a pool of
 * keep-alive sockets large enough that no request waits for a socket. So the
 * server cannot slow the generator down (no coordinated omission), and no
 * statistical correction is applied. Latency is measured from the moment a
 * request was written to the moment its response ended; the schedule lag is
 * reported separately to show the generator kept up.
 */
export async function runOpenLoop(options: {
  url: string;
  body: Buffer;
  headers: Record<string, string>;
  rate: number;
  durationMs: number;
  /** Counts a 2xx reply whose body does not contain this as mismatched. */
  expectBodyIncludes?: string;
}): Promise<OpenLoopResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const total = Math.round((options.rate * options.durationMs) / 1000);
  const latencies: number[] = [];
  const lags: number[] = [];
  let sent = 0;
  let ok = 0;
  let failed = 0;
  let mismatched = 0;
  const expected = options.expectBodyIncludes;
  const start = performance.now();
  const headers = { ...options.headers, 'content-length': String(options.body.length) };
  await new Promise<void>((resolveAll) => {
    let settled = 0;
    const settle = (): void => {
      settled += 1;
      if (settled === total) resolveAll();
    };
    const fire = (scheduledAt: number): void => {
      const sentAt = performance.now();
      lags.push(sentAt - scheduledAt);
      const req = request(options.url, { method: 'POST', agent, headers }, (res) => {
        let body = '';
        if (expected === undefined) res.resume();
        else res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          latencies.push(performance.now() - sentAt);
          const status = res.statusCode ?? 0;
          if (status < 200 || status >= 300) failed += 1;
          else {
            ok += 1;
            if (expected !== undefined && !body.includes(expected)) mismatched += 1;
          }
          settle();
        });
      });
      req.on('error', () => {
        failed += 1;
        settle();
      });
      req.end(options.body);
    };
    const tick = (): void => {
      const due = Math.min(total, Math.floor(((performance.now() - start) * options.rate) / 1000));
      while (sent < due) {
        fire(start + (sent * 1000) / options.rate);
        sent += 1;
      }
      if (sent < total) setTimeout(tick, 1); // a timer, not a busy loop: the generator shares 2 cores
    };
    tick();
  });
  agent.destroy();
  latencies.sort((a, b) => a - b);
  lags.sort((a, b) => a - b);
  const at = (values: number[], q: number): number =>
    values[Math.min(values.length - 1, Math.floor(q * values.length))] ?? NaN;
  return {
    sent,
    ok,
    failed,
    mismatched,
    p50Ms: at(latencies, 0.5),
    p99Ms: at(latencies, 0.99),
    maxMs: latencies[latencies.length - 1] ?? NaN,
    lagP99Ms: at(lags, 0.99),
  };
}
