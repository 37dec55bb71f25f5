/**
 * The chaos smoke, as `npm test` runs it: the real `npm run chaos -- --smoke`
 * (a three-node cluster of its own, two instances of every service, load of
 * every source, a broker killed with kill -9 and an ingress and a verifier
 * killed with kill -9) must account for every acknowledged webhook: not one
 * lost, no service instance dead on its own.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

function portFree(port: number): Promise<boolean> {
  return new Promise((resolveFree) => {
    const server = createServer();
    server.once('error', () => resolveFree(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolveFree(true)));
  });
}

/** The first of six consecutive free ports from `from`: the cluster's client and controller ports. */
async function freeSixPorts(from: number): Promise<number> {
  for (let base = from; base < from + 600; base += 6) {
    const free = await Promise.all(Array.from({ length: 6 }, (_, i) => portFree(base + i)));
    if (free.every(Boolean)) return base;
  }
  throw new Error(`no six free ports from ${from}`);
}

interface SmokeResult {
  readonly lost: number;
  readonly acknowledged: number;
  readonly sent: number;
  readonly service_exits: readonly string[];
}

describe('npm run chaos -- --smoke', () => {
  it(
    'loses no acknowledged webhook through a broker kill and a service kill',
    { timeout: 600_000 },
    async () => {
      const port = await freeSixPorts(29_600);
      const env: NodeJS.ProcessEnv = { ...process.env };
      delete env['KAFKA_BROKERS'];
      const child = spawn(
        process.execPath,
        [
          join(ROOT, 'tools/chaos/dist/main.js'),
          '--smoke',
          '--rate',
          '50',
          '--kafka-port',
          String(port),
        ],
        { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise<number | null>((resolveExit) => child.on('exit', resolveExit));
      const last = stdout.trim().split('\n').pop() ?? '';
      let result: SmokeResult;
      try {
        result = JSON.parse(last) as SmokeResult;
      } catch {
        assert.fail(
          `no JSON result line (exit ${String(code)}):\n${stdout}\n${stderr.slice(-4000)}`,
        );
      }
      const context = `${stdout}\n${stderr
        .split('\n')
        .filter((l) => l.startsWith('chaos'))
        .join('\n')}`;
      assert.ok(result.sent > 0 && result.acknowledged > 0, context);
      assert.equal(result.lost, 0, context);
      assert.deepEqual(result.service_exits, [], context);
      assert.equal(code, 0, context);
    },
  );
});
