import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** The real retry-scheduler (apps/retry-scheduler/dist/main.js) as a child process, so its memory is its own. */
export class SchedulerProcess {
  private constructor(
    private readonly child: ChildProcess,
    private readonly port: number,
  ) {}

  static start(root: string, port: number, env: Record<string, string>): SchedulerProcess {
    const child = spawn(process.execPath, [`${root}/apps/retry-scheduler/dist/main.js`], {
      env: { ...process.env, PORT: String(port), LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    return new SchedulerProcess(child, port);
  }

  async ready(): Promise<boolean> {
    try {
      const response = await fetch(`http://127.0.0.1:${this.port}/readyz`);
      return response.ok;
    } catch {
      return false;
    }
  }

  /** Peak resident set size in MiB (VmHWM), Linux only. */
  peakRssMb(): number {
    const status = readFileSync(`/proc/${this.child.pid ?? 0}/status`, 'utf8');
    const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN);
    return Math.round((kb / 1024) * 10) / 10;
  }

  async metrics(): Promise<string> {
    const response = await fetch(`http://127.0.0.1:${this.port}/metrics`);
    return response.text();
  }

  stop(): Promise<number | null> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null) return resolve(this.child.exitCode);
      this.child.once('exit', (code) => resolve(code));
      this.child.kill('SIGTERM');
    });
  }
}
