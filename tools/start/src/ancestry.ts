import { HAS_PROC, commandLine, environmentOf, isRunning, readProcess } from './proc.js';

export interface Ancestor {
  readonly pid: number;
  readonly startTime: string | undefined;
  readonly command: string;
}

const WATCH_INTERVAL_MS = 500;

function ancestor(pid: number): Ancestor {
  return { pid, startTime: readProcess(pid)?.startTime, command: commandLine(pid) };
}

/**
 * The processes whose end means whoever ran us is gone: any wrappers between
 * us and the script runner (`sh -c`, a tsx CLI: they carry npm's
 * `npm_lifecycle_script`), the runner itself (npm) and the runner's parent
 * (the terminal's shell, a process manager, a test). Run without npm: our
 * parent and its parent. Never pid 1. Without /proc: our parent only.
 */
export function launcherAncestors(env: NodeJS.ProcessEnv = process.env): Ancestor[] {
  if (!HAS_PROC)
    return process.ppid > 1 ? [{ pid: process.ppid, startTime: undefined, command: 'parent' }] : [];
  const chain: Ancestor[] = [];
  const script = env['npm_lifecycle_script'];
  let pid = process.ppid;
  while (
    script !== undefined &&
    pid > 1 &&
    environmentOf(pid)?.get('npm_lifecycle_script') === script
  ) {
    chain.push(ancestor(pid));
    pid = readProcess(pid)?.ppid ?? 0;
  }
  for (let level = 0; level < 2 && pid > 1; level += 1) {
    chain.push(ancestor(pid));
    pid = readProcess(pid)?.ppid ?? 0;
  }
  return chain;
}

/**
 * Calls `onGone` once, with the first watched ancestor found gone (polled).
 * Signals are not enough: `kill <npm pid>` or a closed terminal often reach
 * npm (or its shell) alone, and a SIGKILL reaches nobody.
 */
export function watchAncestors(
  ancestors: readonly Ancestor[],
  onGone: (ancestor: Ancestor) => void,
): void {
  const timer = setInterval(() => {
    const gone = ancestors.find((watched) => !isRunning(watched.pid, watched.startTime));
    if (!gone) return;
    clearInterval(timer);
    onGone(gone);
  }, WATCH_INTERVAL_MS);
  timer.unref();
}
