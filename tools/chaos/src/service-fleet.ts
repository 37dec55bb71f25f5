import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { freePort, waitFor } from '@crm/testing';

/** The services, each run twice: the consumers share one group per service, as replicas do. */
export const FLEET_APPS = [
  'ingress',
  'verifier',
  'normalizer-kommo',
  'normalizer-kommo-chat',
  'normalizer-pipeliner',
  'retry-scheduler',
] as const;
export type FleetApp = (typeof FLEET_APPS)[number];

/** A dozen Node processes starting at once on two cores, beside three brokers, take their time. */
const START_TIMEOUT_MS = 180_000;
/** How often the fleet's start launches an instance that exited before it was ready. */
const START_ATTEMPTS = 3;

export interface Instance {
  readonly app: FleetApp;
  /** 0 or 1. */
  readonly replica: number;
  /**
   * HTTP port: ingress's webhook port, else the ops port (/readyz, /metrics).
   * Chosen again if the instance could not start on it (another process took it first).
   */
  port: number;
  child: ChildProcess | undefined;
}

const nameOf = (instance: Instance): string => `${instance.app}#${instance.replica}`;

/** A failed liveness check: an answer other than 200 (no answer at all is a process starting or gone). */
async function notLive(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/healthz`)).status !== 200;
  } catch {
    return false;
  }
}

/** As the Kubernetes base's livenessProbe: every 10 s, restarted after 3 failures in a row. */
const LIVENESS_PERIOD_MS = 10_000;
const LIVENESS_FAILURES = 3;

async function isReady(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200;
  } catch {
    return false;
  }
}

/**
 * Two instances (or one) of every service as separate processes (`apps/<app>/dist/main.js`),
 * on the cluster's brokers and the default topics and groups, logging at
 * warn into one file per instance in the run's work dir. Each ingress has a
 * spool directory of its own there (`spool-ingress-<replica>`), the same one
 * when it is started again: a killed ingress forwards what it had spooled.
 * Instances can be SIGKILLed and started again with the same settings.
 */
export class ServiceFleet {
  readonly instances: Instance[] = [];
  /** Instances restarted because /healthz failed (what the kubelet would have done), by name. */
  readonly livenessRestarts: string[] = [];
  private readonly logs = new Map<string, WriteStream>();
  private readonly livenessFailures = new Map<Instance, number>();
  private livenessTimer: NodeJS.Timeout | undefined;
  private stopping = false;

  private constructor(
    private readonly root: string,
    private readonly env: Record<string, string>,
    private readonly workDir: string,
    private readonly log: (line: string) => void,
  ) {}

  static async start(
    root: string,
    env: Record<string, string>,
    workDir: string,
    log: (line: string) => void,
    replicas: 1 | 2 = 2,
  ): Promise<ServiceFleet> {
    const fleet = new ServiceFleet(root, env, workDir, log);
    for (const app of FLEET_APPS)
      for (let replica = 0; replica < replicas; replica += 1)
        fleet.instances.push({ app, replica, port: await freePort(), child: undefined });
    try {
      await fleet.startAll();
    } catch (error) {
      // Nobody else holds the fleet yet: leave no instance running behind the failed start.
      await fleet.stop();
      throw error;
    }
    return fleet;
  }

  /**
   * Launches every instance and waits until all are ready. One that exits
   * first (its port taken between freePort and listen: the machine is shared)
   * is launched again on another port.
   */
  private async startAll(): Promise<void> {
    let pending: Instance[] = this.instances;
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      if (attempt > START_ATTEMPTS)
        throw new Error(`could not start ${pending.map(nameOf).join(', ')}`);
      for (const instance of pending) {
        if (attempt > 1) instance.port = await freePort();
        this.launch(instance);
      }
      await this.waitReady(pending, START_TIMEOUT_MS);
      // Another process may have answered on the port of one that then failed to listen.
      pending = pending.filter((instance) => !this.running(instance));
    }
  }

  ingressUrls(): string[] {
    return this.instances
      .filter((instance) => instance.app === 'ingress')
      .map((instance) => `http://127.0.0.1:${instance.port}`);
  }

  instance(app: FleetApp, replica: number): Instance {
    const found = this.instances.find((i) => i.app === app && i.replica === replica);
    if (!found) throw new Error(`no instance ${app}#${replica}`);
    return found;
  }

  /** kill -9: no drain, no flush, no goodbye. */
  kill(instance: Instance): void {
    instance.child?.kill('SIGKILL');
    instance.child = undefined;
  }

  async restart(instance: Instance, timeoutMs = 60_000): Promise<void> {
    this.launch(instance);
    await this.waitReady([instance], timeoutMs);
    if (!this.running(instance)) throw new Error(`${nameOf(instance)} exited while starting`);
  }

  /**
   * Checks every running instance's /healthz as the deployment's livenessProbe does and restarts
   * one that failed three times in a row: a service whose Kafka consumer crashed for good reports
   * not live and relies on that restart.
   */
  watchLiveness(): void {
    this.livenessTimer = setInterval(() => void this.checkLiveness(), LIVENESS_PERIOD_MS);
  }

  private async checkLiveness(): Promise<void> {
    for (const instance of this.instances) {
      if (this.stopping || !this.running(instance)) continue;
      const failures = (await notLive(instance.port))
        ? (this.livenessFailures.get(instance) ?? 0) + 1
        : 0;
      this.livenessFailures.set(instance, failures);
      if (failures < LIVENESS_FAILURES) continue;
      this.livenessFailures.set(instance, 0);
      this.livenessRestarts.push(nameOf(instance));
      this.log(
        `${nameOf(instance)} not live ${failures} times in a row: restarted, as the kubelet would`,
      );
      this.kill(instance);
      await this.restart(instance).catch((error: unknown) =>
        this.log(`${nameOf(instance)} did not come back: ${String(error)}`),
      );
    }
  }

  /** The instances not running (killed and not started again, or exited on their own). */
  exited(): Instance[] {
    return this.instances.filter((instance) => !this.running(instance));
  }

  private running(instance: Instance): boolean {
    const child = instance.child;
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.livenessTimer);
    await Promise.all(
      this.instances.map(
        (instance) =>
          new Promise<void>((resolveStop) => {
            const child = instance.child;
            if (!child || child.exitCode !== null || child.signalCode !== null)
              return resolveStop();
            const force = setTimeout(() => child.kill('SIGKILL'), 20_000);
            child.once('exit', () => {
              clearTimeout(force);
              resolveStop();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
    for (const log of this.logs.values()) log.end();
  }

  private launch(instance: Instance): void {
    const name = `${instance.app}-${instance.replica}`;
    let log = this.logs.get(name);
    if (!log) {
      log = createWriteStream(join(this.workDir, `${name}.log`), { flags: 'a' });
      this.logs.set(name, log);
    }
    const child = spawn(
      process.execPath,
      [join(this.root, 'apps', instance.app, 'dist', 'main.js')],
      {
        cwd: this.root,
        env: {
          ...process.env,
          LOG_LEVEL: 'warn',
          ...this.env,
          ...this.ownEnv(instance),
          PORT: String(instance.port),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    child.once('exit', (code, signal) => {
      // Killed here (kill() forgot the child first) or stopped at the end: not news.
      if (instance.child === child && !this.stopping)
        this.log(
          `${nameOf(instance)} (pid ${child.pid ?? '?'}) exited on its own: ${signal ?? `exit code ${String(code)}`}`,
        );
    });
    instance.child = child;
  }

  /** What one instance has to itself: an ingress's spool directory. */
  private ownEnv(instance: Instance): Record<string, string> {
    if (instance.app !== 'ingress') return {};
    return { INGRESS_SPOOL_DIR: join(this.workDir, `spool-ingress-${instance.replica}`) };
  }

  /** Until each instance answers /readyz with 200 or has exited. */
  private async waitReady(instances: readonly Instance[], timeoutMs: number): Promise<void> {
    let waiting = instances;
    await waitFor(
      async () => {
        const ready = await Promise.all(waiting.map((i) => isReady(i.port)));
        waiting = waiting.filter((instance, index) => !ready[index] && this.running(instance));
        return waiting.length === 0;
      },
      { timeoutMs, intervalMs: 200, description: 'every instance ready' },
    ).catch((error: unknown) => {
      const names = waiting.map(nameOf).join(', ');
      throw new Error(`not ready after ${timeoutMs} ms: ${names}`, { cause: error });
    });
  }
}
