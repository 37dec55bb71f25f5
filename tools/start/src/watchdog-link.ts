import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ROOT } from './kafka-tool.js';
import { readProcess } from './proc.js';

/** watchdog.ts next to this file (watchdog.js once compiled), run with our own node flags (the tsx loader). */
const WATCHDOG = fileURLToPath(
  new URL(import.meta.url.endsWith('.ts') ? './watchdog.ts' : './watchdog.js', import.meta.url),
);

/**
 * The start process's side of its watchdog: a pipe on which it reports what it
 * started. The pipe closes when the start process ends however it ends; the
 * watchdog then cleans up unless `release()` said everything is stopped.
 */
export class WatchdogLink {
  private constructor(private readonly child: ChildProcess) {}

  static start(graceMs: number, env: NodeJS.ProcessEnv): WatchdogLink {
    const child = spawn(process.execPath, [...process.execArgv, WATCHDOG, String(graceMs)], {
      cwd: ROOT,
      env,
      // Its own session: a terminal's Ctrl-C or hang-up does not reach it.
      detached: true,
      stdio: ['pipe', 'inherit', 'inherit'],
    });
    child.stdin?.on('error', () => undefined);
    child.on('error', () => undefined);
    return new WatchdogLink(child);
  }

  /** A process group (a child spawned with `detached: true`) to stop if we cannot. */
  track(child: ChildProcess): void {
    const startTime = child.pid === undefined ? undefined : readProcess(child.pid)?.startTime;
    if (child.pid !== undefined) this.send(`track ${child.pid} ${startTime ?? '-'}`);
  }

  /** We started the local broker: stop it too if we cannot. */
  ownBroker(): void {
    this.send('broker');
  }

  /** Everything is stopped: the watchdog exits without doing anything. */
  release(): void {
    this.send('done');
    this.child.stdin?.end();
  }

  private send(line: string): void {
    this.child.stdin?.write(`${line}\n`);
  }
}
