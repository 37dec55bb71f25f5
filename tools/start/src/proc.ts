import { existsSync, readFileSync, readdirSync } from 'node:fs';

/** One process as Linux's /proc shows it; `startTime` (clock ticks since boot) tells a reused pid apart. */
export interface ProcessInfo {
  readonly pid: number;
  readonly ppid: number;
  readonly pgid: number;
  readonly state: string;
  readonly startTime: string;
}

export const HAS_PROC = existsSync('/proc/self/stat');

export function readProcess(pid: number): ProcessInfo | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name sits in parentheses and may itself contain spaces or ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const [state = '?', ppid = '0', pgid = '0'] = fields;
  return { pid, ppid: Number(ppid), pgid: Number(pgid), state, startTime: fields[19] ?? '' };
}

/** Alive and not a zombie; with `startTime`, also still the same process (not a reused pid). */
export function isRunning(pid: number, startTime?: string): boolean {
  if (!HAS_PROC) return signalable(pid);
  const info = readProcess(pid);
  if (!info || info.state === 'Z' || info.state === 'X') return false;
  return startTime === undefined || info.startTime === startTime;
}

export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return `pid ${pid}`;
  }
}

/** A process's environment at exec time (readable for our own processes only). */
export function environmentOf(pid: number): Map<string, string> | undefined {
  try {
    const entries = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    return new Map(
      entries
        .filter((entry) => entry.includes('='))
        .map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]),
    );
  } catch {
    return undefined;
  }
}

function allProcesses(): ProcessInfo[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readProcess(Number(name)))
    .filter((info): info is ProcessInfo => info !== undefined);
}

/** Every live descendant of `root` (children, their children, ...), found by parent pid. */
export function descendants(root: number): ProcessInfo[] {
  const all = allProcesses().filter((info) => info.state !== 'Z');
  const found: ProcessInfo[] = [];
  const queue = [root];
  for (let parent = queue.shift(); parent !== undefined; parent = queue.shift()) {
    for (const child of all.filter((info) => info.ppid === parent)) {
      found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
}

/** Whether any live (non-zombie) process is still in process group `pgid`. */
export function groupRunning(pgid: number): boolean {
  if (!HAS_PROC) return signalable(-pgid);
  return allProcesses().some((info) => info.pgid === pgid && info.state !== 'Z');
}

function signalable(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
