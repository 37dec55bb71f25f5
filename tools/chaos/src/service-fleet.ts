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

export interface Instance {
  readonly app: FleetApp;
  /** 0 or 1. */
  readonly replica: number;
  /** HTTP port: ingress's webhook port, else the ops port (/readyz, /metrics). */
  readonly port: number;
  child: ChildProcess | undefined;
}

async function isReady(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200;
  } catch {
    return false;
  }
}

/**
 * Two instances of every service as separate processes (`apps/<app>/dist/main.js`),
 * on the cluster's brokers and the default topics and groups, logging at
 * warn into one file per instance. Instances can be SIGKILLed and started
 * again with the same settings.
 */
export class ServiceFleet {
  readonly instances: Instance[] = [];
  private readonly logs = new Map<string, WriteStream>();

  private constructor(
    private readonly root: string,
    private readonly env: Record<string, string>,
    private readonly logDir: string,
  ) {}

  static async start(
    root: string,
    env: Record<string, string>,
    logDir: string,
  ): Promise<ServiceFleet> {
    const fleet = new ServiceFleet(root, env, logDir);
    for (const app of FLEET_APPS)
      for (const replica of [0, 1])
        fleet.instances.push({ app, replica, port: await freePort(), child: undefined });
    for (const instance of fleet.instances) fleet.launch(instance);
    await fleet.waitReady(fleet.instances, 120_000);
    return fleet;
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
  }

  /** Every instance still running (none exited on its own). */
  exited(): Instance[] {
    return this.instances.filter(
      (instance) => instance.child === undefined || instance.child.exitCode !== null,
    );
  }

  async stop(): Promise<void> {
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
      log = createWriteStream(join(this.logDir, `${name}.log`), { flags: 'a' });
      this.logs.set(name, log);
    }
    const child = spawn(
      process.execPath,
      [join(this.root, 'apps', instance.app, 'dist', 'main.js')],
      {
        cwd: this.root,
        env: { ...process.env, LOG_LEVEL: 'warn', ...this.env, PORT: String(instance.port) },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    instance.child = child;
  }

  private async waitReady(instances: readonly Instance[], timeoutMs: number): Promise<void> {
    await waitFor(
      async () => (await Promise.all(instances.map((i) => isReady(i.port)))).every(Boolean),
      {
        timeoutMs,
        intervalMs: 200,
        description: `ready: ${instances.map((i) => `${i.app}#${i.replica}`).join(', ')}`,
      },
    );
  }
}
