import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestBroker, waitFor } from '@crm/testing';
import { discoverApps } from './apps.js';
import { freePortRange } from './free-ports.js';
import { ROOT, portOpen } from './kafka-tool.js';
import { commandLine, descendants, isRunning, readProcess, type ProcessInfo } from './proc.js';

/** One `npm start` run by a spec, with what it had started once it was up. */
export interface RunningStart {
  /** The test's child: npm itself, or the intermediate shell that runs it. */
  readonly launcher: ChildProcess;
  /** The npm process (the launcher, or the launcher's child). */
  readonly npmPid: number;
  /** npm and every process below it once the apps were up: all must end. */
  readonly processes: readonly ProcessInfo[];
  readonly ingressPort: number;
  /** Ingress's spool (outside the repository), removed once everything is gone. */
  readonly spoolDir: string;
  output(): string;
}

/** The apps' 20 s drain grace, the broker's own 20 s stop grace, and room for a busy 2-core machine. */
export const STOP_BOUND_MS = 60_000;
const READY_TIMEOUT_MS = 150_000;
const OUTPUT_LIMIT = 20_000;
const APP_COUNT = discoverApps(ROOT, '0', undefined).length;

export interface SharedBroker {
  readonly brokers: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** A broker for the cases npm start must leave alone: the run's (KAFKA_BROKERS) or one of the spec's. */
export async function startSharedBroker(): Promise<SharedBroker> {
  const port = await freePortRange(2);
  const broker = await startTestBroker({ ...process.env, KAFKA_TEST_PORT: String(port) });
  const first = broker.brokers.split(',')[0] ?? '';
  return { ...broker, brokers: broker.brokers, port: Number(first.split(':')[1]) };
}

async function ready(url: string): Promise<boolean> {
  return (await fetch(url, { signal: AbortSignal.timeout(2_000) })).status === 200;
}

const isApp = (info: ProcessInfo): boolean =>
  /apps\/[^/]+\/dist\/main\.js/.test(commandLine(info.pid));

/**
 * Runs the real `npm start -- --no-build` (the test run has built everything)
 * from the repo root with ports of its own and `kafkaEnv`, directly or through
 * `sh -c` (so npm's parent can be killed), and resolves once ingress answers
 * /readyz and every app process exists: only processes, ports and /readyz.
 */
export async function startNpm(
  kafkaEnv: NodeJS.ProcessEnv,
  viaShell = false,
): Promise<RunningStart> {
  const ingressPort = await freePortRange(1);
  const spoolDir = join(tmpdir(), `crm-start-spool-${ingressPort}`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(ingressPort),
    INGRESS_SPOOL_DIR: spoolDir,
    START_OPS_PORT: String(await freePortRange(APP_COUNT)),
    LOG_LEVEL: 'warn',
    ...kafkaEnv,
  };
  const launcher = viaShell
    ? spawn('sh', ['-c', 'npm start -- --no-build; echo "npm exited with $?"'], { cwd: ROOT, env })
    : spawn('npm', ['start', '--', '--no-build'], { cwd: ROOT, env });
  let output = '';
  const collect = (chunk: Buffer): void => {
    output = `${output}${chunk.toString()}`.slice(-OUTPUT_LIMIT);
  };
  launcher.stdout?.on('data', collect);
  launcher.stderr?.on('data', collect);
  const launcherPid = launcher.pid ?? 0;
  try {
    await waitFor(
      async () => {
        if (launcher.exitCode !== null) throw new Error('npm start exited before it was up');
        const apps = descendants(launcherPid).filter(isApp);
        return apps.length >= APP_COUNT && (await ready(`http://127.0.0.1:${ingressPort}/readyz`));
      },
      { timeoutMs: READY_TIMEOUT_MS, intervalMs: 500, description: 'ingress /readyz, every app' },
    );
  } catch (error) {
    for (const info of descendants(launcherPid).reverse()) process.kill(info.pid, 'SIGKILL');
    launcher.kill('SIGKILL');
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${output}`);
  }
  const npmPid = viaShell
    ? (descendants(launcherPid).find((info) => info.ppid === launcherPid)?.pid ?? 0)
    : launcherPid;
  const npm = readProcess(npmPid);
  return {
    launcher,
    npmPid,
    processes: [...(npm ? [npm] : []), ...descendants(npmPid)],
    ingressPort,
    spoolDir,
    output: () => output,
  };
}

/**
 * Resolves once no process of `run` runs any more and ingress's port is
 * closed; otherwise fails after STOP_BOUND_MS naming the survivors (then
 * kills them) with npm start's output.
 */
export async function expectAllGone(run: RunningStart): Promise<void> {
  const survivors = (): ProcessInfo[] =>
    run.processes.filter((info) => isRunning(info.pid, info.startTime));
  try {
    await waitFor(() => survivors().length === 0, {
      timeoutMs: STOP_BOUND_MS,
      intervalMs: 100,
      description: 'every process of npm start gone',
    });
  } catch (error) {
    const left = survivors();
    const names = left.map((info) => `${info.pid} ${commandLine(info.pid)}`).join('\n  ');
    for (const info of left) process.kill(info.pid, 'SIGKILL');
    throw new Error(
      `${error instanceof Error ? error.message : String(error)}; left:\n  ${names}\n--- npm start output ---\n${run.output()}`,
    );
  }
  if (await portOpen(run.ingressPort)) throw new Error('ingress port still open');
  rmSync(run.spoolDir, { recursive: true, force: true });
}
