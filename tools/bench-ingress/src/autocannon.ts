import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface ClosedLoopResult {
  readonly ok2xx: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly durationS: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

interface AutocannonJson {
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
  latency: { p50: number; p99: number };
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
  },
): Promise<ClosedLoopResult> {
  const args = [
    join(root, 'node_modules/autocannon/autocannon.js'),
    '--json',
    '-c',
    String(options.connections),
    '-a',
    String(options.amount),
    '-m',
    'POST',
    '-b',
    options.body.toString('latin1'),
    ...Object.entries(options.headers).flatMap(([name, value]) => ['-H', `${name}=${value}`]),
    options.url,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited with ${code ?? 'signal'}`));
      const json = JSON.parse(out) as AutocannonJson;
      resolve({
        ok2xx: json['2xx'],
        non2xx: json.non2xx,
        errors: json.errors + json.timeouts,
        durationS: json.duration,
        rps: json['2xx'] / json.duration,
        p50Ms: json.latency.p50,
        p99Ms: json.latency.p99,
      });
    });
  });
}
