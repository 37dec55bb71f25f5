import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { freePort } from '@crm/testing';

export interface ServerProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
  readonly url: string;
  /** Whether it exited, how, and the last lines of its log (when it has a log file). */
  describeExit(): string;
  stop(): Promise<void>;
}

const LOG_TAIL_LINES = 20;

/**
 * Starts `node <entry>` and resolves once `ready()` says so (polled, bounded).
 * BENCH_NODE_ARGS adds node flags, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
 * Its stdout (the services' log) goes to `logFile`, or nowhere.
 */
export async function startServer(
  name: string,
  entry: string,
  env: NodeJS.ProcessEnv,
  ready: (url: string) => Promise<boolean>,
  logFile?: string,
): Promise<ServerProcess> {
  const port = await freePort();
  const nodeArgs = (process.env['BENCH_NODE_ARGS'] ?? '').split(' ').filter((arg) => arg !== '');
  const log = logFile === undefined ? 'ignore' : openSync(logFile, 'a');
  const child = spawn(process.execPath, [...nodeArgs, entry], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', log, 'inherit'],
  });
  if (typeof log === 'number') closeSync(log);
  const describeExit = (): string => {
    const status =
      child.exitCode === null && child.signalCode === null
        ? `${name} is running`
        : `${name} exited (${child.exitCode ?? child.signalCode ?? ''})`;
    if (logFile === undefined) return status;
    const tail = readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-LOG_TAIL_LINES);
    return `${status}; the last lines of its log:\n${tail.join('\n')}`;
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`during start-up: ${describeExit()}`);
    if (await ready(url).catch(() => false)) break;
    if (Date.now() > deadline) throw new Error(`${name} not ready within 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    name,
    child,
    pid: child.pid ?? 0,
    url,
    describeExit,
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
