import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface ClosedLoopResult {
  readonly ok2xx: number;
  readonly non2xx: number;
  readonly errors: number;
  /** Replies whose body lacked `expectBodyIncludes` (0 without it). */
  readonly mismatches: number;
  readonly durationS: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/**
 * Max throughput: autocannon (closed loop, `connections` requests in flight)
 * in its own process, so its CPU is not charged to the server under test.
 * A fixed request count (not a duration) makes every sent request answered
 * before it exits, so the 2xx count can be compared with the records in Kafka.
 */
export function runAutocannon(
  root: string,
  options: {
    url: string;
    body: Buffer;
    headers: Record<string, string>;
    connections: number;
    /** Exactly this many requests; autocannon waits for every answer (a duration would abandon the in-flight ones). */
    amount: number;
    /** Counts a reply whose body does not contain this as a mismatch. */
    expectBodyIncludes?: string;
  },
): Promise<ClosedLoopResult> {
  const worker = join(root, 'tools/bench-ingress/dist/autocannon-worker.js');
  const settings = {
    url: options.url,
    method: 'POST',
    bodyLatin1: options.body.toString('latin1'),
    headers: options.headers,
    connections: options.connections,
    amount: options.amount,
    expectBodyIncludes: options.expectBodyIncludes,
  };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [worker, JSON.stringify(settings)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`autocannon worker exited with ${code ?? 'signal'}`));
      resolve(JSON.parse(out) as ClosedLoopResult);
    });
  });
}
