import type { ChildProcess } from 'node:child_process';
import { isRunning } from './proc.js';

export type StopOutcome = 'exited' | 'killed';

/** The leader of a process group: our own child, or a pid (with its start time) we were told about. */
export type GroupLeader = ChildProcess | { readonly pid: number; readonly startTime?: string };

const POLL_MS = 100;
const KILL_WAIT_MS = 5_000;

/** Sends `signal` to process group `pgid`; false if the group is already gone. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

function leaderGone(leader: GroupLeader): boolean {
  if ('exitCode' in leader) return leader.exitCode !== null || leader.signalCode !== null;
  return !isRunning(leader.pid, leader.startTime);
}

async function waitUntilGone(leader: GroupLeader, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!leaderGone(leader)) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return true;
}

/**
 * Stops the process group of `leader` (spawned with `detached: true`): one
 * SIGTERM to the group, so it shuts down its own way; SIGKILL if the leader is
 * still there after `graceMs`. Once the leader is gone, SIGKILL sweeps up
 * anything it left behind in its group.
 */
export async function stopGroup(leader: GroupLeader, graceMs: number): Promise<StopOutcome> {
  const pgid = leader.pid;
  if (pgid === undefined) return 'exited';
  let outcome: StopOutcome = 'exited';
  if (signalGroup(pgid, 'SIGTERM') && !(await waitUntilGone(leader, graceMs))) {
    signalGroup(pgid, 'SIGKILL');
    await waitUntilGone(leader, KILL_WAIT_MS);
    outcome = 'killed';
  }
  signalGroup(pgid, 'SIGKILL');
  return outcome;
}

/** Resolves with the exit code (null after a signal) once `child` has exited or failed to spawn. */
export function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(child.exitCode ?? 1));
  });
}
