import { existsSync, readFileSync, rmSync } from 'node:fs';

export function readPid(pidFile: string): number | undefined {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function waitUntilExited(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return !isAlive(pid);
}

/** Stops exactly the process named in the pid file: SIGTERM, then SIGKILL after the grace period. */
export async function stopPidFile(
  pidFile: string,
  graceMs = 20_000,
): Promise<'stopped' | 'not-running'> {
  const pid = readPid(pidFile);
  if (pid === undefined || !isAlive(pid)) {
    rmSync(pidFile, { force: true });
    return 'not-running';
  }
  process.kill(pid, 'SIGTERM');
  if (!(await waitUntilExited(pid, graceMs))) {
    process.kill(pid, 'SIGKILL');
    await waitUntilExited(pid, 5_000);
  }
  rmSync(pidFile, { force: true });
  return 'stopped';
}
