import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '@crm/testing';

export interface ServerProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Starts `node <entry>` and resolves once `ready()` says so (polled, bounded).
 * BENCH_NODE_ARGS adds node flags, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
 */
export async function startServer(
  name: string,
  entry: string,
  env: NodeJS.ProcessEnv,
  ready: (url: string) => Promise<boolean>,
): Promise<ServerProcess> {
  const port = await freePort();
  const nodeArgs = (process.env['BENCH_NODE_ARGS'] ?? '').split(' ').filter((arg) => arg !== '');
  const child = spawn(process.execPath, [...nodeArgs, entry], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited during start-up`);
    if (await ready(url).catch(() => false)) break;
    if (Date.now() > deadline) throw new Error(`${name} not ready within 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    name,
    child,
    pid: child.pid ?? 0,
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
