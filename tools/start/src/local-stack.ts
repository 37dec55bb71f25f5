import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { discoverApps, type AppProcess } from './apps.js';
import { ROOT, kafkaToolCommand, localBrokerEnv, portOpen } from './kafka-tool.js';
import { pipePrefixed } from './prefixed-output.js';
import { exited, stopGroup } from './stop-group.js';
import type { WatchdogLink } from './watchdog-link.js';

export interface StackOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly build: boolean;
  /** How long each app may drain after SIGTERM before it is killed. */
  readonly graceMs: number;
}

export const log = (line: string): void => void process.stdout.write(`start: ${line}\n`);

/**
 * What `npm start` runs: the build, the local broker (unless KAFKA_BROKERS is
 * set or one already listens on KAFKA_PORT), then every app. Each child gets
 * its own process group, so only this class signals it: exactly one SIGTERM
 * when stopping, never a second one from the terminal cutting a drain short.
 */
export class LocalStack {
  private readonly apps = new Map<string, ChildProcess>();
  private step: ChildProcess | undefined;
  private ownsBroker = false;
  private stopping: Promise<number> | undefined;
  private stopReason: string | undefined;
  private finish: (code: number) => void = () => undefined;
  /** Resolves with the exit code once everything this stack started is stopped. */
  readonly stopped = new Promise<number>((resolve) => (this.finish = resolve));

  constructor(
    private readonly options: StackOptions,
    private readonly watchdog: WatchdogLink,
  ) {}

  async start(): Promise<void> {
    const { env } = this.options;
    if (this.options.build)
      await this.runStep('build', [join(ROOT, 'node_modules/.bin/tsc'), '-b']);
    const port = env['KAFKA_PORT'] || '9092';
    if (!env['KAFKA_BROKERS'] && !this.stopping) {
      if (await portOpen(Number(port)))
        log(`a broker already listens on port ${port}: used, not stopped`);
      else this.claimBroker();
    }
    await this.runStep('kafka:up', kafkaToolCommand('up'));
    if (this.stopping) return;
    const appEnv = { ...env, KAFKA_BROKERS: env['KAFKA_BROKERS'] || `127.0.0.1:${port}` };
    const apps = discoverApps(ROOT, env['PORT'] ?? '8080', env['START_OPS_PORT']);
    const width = Math.max(5, ...apps.map((app) => app.name.length));
    apps.forEach((app, index) => this.launch(app, appEnv, index, width));
    const summary = apps.map((app) => `${app.name} (port ${app.env['PORT'] ?? '-'})`).join(', ');
    log(`running ${summary || 'no apps yet'} on Kafka ${appEnv.KAFKA_BROKERS}; Ctrl-C stops`);
  }

  /** Stops everything (once; later calls get the same result): the start-up step, the apps, then the broker. */
  stop(reason: string, exitCode: number): Promise<number> {
    // A terminal's Ctrl-C reaches us twice (directly and forwarded by npm): say it once.
    if (this.stopping && reason !== this.stopReason) log(`${reason}; already stopping`);
    this.stopReason ??= reason;
    this.stopping ??= this.shutdown(reason, exitCode).then((code) => {
      this.finish(code);
      return code;
    });
    return this.stopping;
  }

  private claimBroker(): void {
    this.ownsBroker = true;
    this.watchdog.ownBroker();
  }

  private async runStep(label: string, command: string[]): Promise<void> {
    if (this.stopping) return;
    const [file = '', ...args] = command;
    // Its own group too: stopping during start-up stops the step (and a tsx CLI's child) as one.
    const child = spawn(file, args, {
      cwd: ROOT,
      env: this.options.env,
      detached: true,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    this.step = child;
    this.watchdog.track(child);
    const code = await exited(child);
    this.step = undefined;
    if (code !== 0 && !this.stopping) throw new Error(`${label} failed (exit ${code ?? 'signal'})`);
  }

  private launch(app: AppProcess, env: NodeJS.ProcessEnv, index: number, width: number): void {
    if (!existsSync(app.entry))
      throw new Error(`${app.entry} is missing: the build did not produce it`);
    const child = spawn(process.execPath, ['--enable-source-maps', app.entry], {
      cwd: ROOT,
      env: { ...env, ...app.env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.apps.set(app.name, child);
    this.watchdog.track(child);
    if (child.stdout) pipePrefixed(child.stdout, app.name, index, width);
    if (child.stderr) pipePrefixed(child.stderr, app.name, index, width);
    child.on('exit', (code, signal) => {
      if (!this.stopping) void this.stop(`${app.name} exited (${signal ?? `code ${code}`})`, 1);
    });
  }

  private async shutdown(reason: string, exitCode: number): Promise<number> {
    log(`${reason}; stopping...`);
    const started = Date.now();
    const seconds = (): string => `${((Date.now() - started) / 1000).toFixed(1)} s`;
    const { graceMs, env } = this.options;
    if (this.step) await stopGroup(this.step, graceMs);
    const outcomes = await Promise.all(
      [...this.apps].map(async ([name, child]) => {
        const outcome = await stopGroup(child, graceMs);
        if (outcome === 'killed') log(`${name} did not stop within ${graceMs / 1000} s: killed`);
        return outcome;
      }),
    );
    let code = outcomes.includes('killed') ? 1 : exitCode;
    if (this.apps.size > 0) log(`apps stopped in ${seconds()}`);
    if (this.ownsBroker) {
      const [file = '', ...args] = kafkaToolCommand('down');
      const down = spawn(file, args, {
        cwd: ROOT,
        env: localBrokerEnv(env),
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      if ((await exited(down)) !== 0) code = 1;
    }
    this.watchdog.release();
    log(`stopped in ${seconds()}${code === 0 ? '' : `, exit code ${code}`}`);
    return code;
  }
}
