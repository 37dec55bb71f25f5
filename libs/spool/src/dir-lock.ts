import { open, readFile, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { SpoolLockedError, errnoCode, isErrnoCode } from './errors.js';

const LOCK_FILE = 'LOCK';
const TAKEOVER_ATTEMPTS = 3;

/** Directories this process holds: a second open from the same process must fail too. */
const heldHere = new Set<string>();

interface LockOwner {
  readonly pid: number;
  readonly host: string;
}

function parseOwner(text: string): LockOwner | undefined {
  const [pid, host] = text.split('\n');
  const parsed = Number(pid);
  if (!Number.isSafeInteger(parsed) || parsed <= 0 || !host) return undefined;
  return { pid: parsed, host };
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return errnoCode(error) === 'EPERM';
  }
}

/**
 * Why an existing lock still holds, or undefined when it is stale and may be
 * taken over. Our own pid is stale: in a container every restart is pid 1, and
 * a second open in this process is caught by `heldHere` first. Another host's
 * lock holds: its pid cannot be checked from here, and two writers in one
 * directory would interleave segment numbers and lose records. The expected
 * setups never show one (an emptyDir per pod, or a volume whose pod keeps its
 * hostname); an operator who knows the host is gone deletes the LOCK file.
 */
function heldBy(owner: LockOwner | undefined): string | undefined {
  if (owner === undefined) return undefined;
  if (owner.host !== hostname()) return `host ${owner.host} (pid ${owner.pid}; cannot check it)`;
  if (owner.pid === process.pid || !isRunning(owner.pid)) return undefined;
  return `live pid ${owner.pid}`;
}

async function readOwner(path: string): Promise<LockOwner | undefined> {
  try {
    return parseOwner(await readFile(path, 'utf8'));
  } catch (error) {
    if (isErrnoCode(error, 'ENOENT')) return undefined;
    throw error;
  }
}

async function createLock(path: string): Promise<boolean> {
  try {
    const file = await open(path, 'wx');
    try {
      await file.writeFile(`${process.pid}\n${hostname()}\n`);
    } finally {
      await file.close();
    }
    return true;
  } catch (error) {
    if (isErrnoCode(error, 'EEXIST')) return false;
    throw error;
  }
}

async function removeIfPresent(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if (!isErrnoCode(error, 'ENOENT')) throw error;
  }
}

export interface DirLock {
  release(): Promise<void>;
}

/**
 * Takes `dir` (an absolute, real path) for this process by creating `LOCK`
 * with our pid and hostname, taking over a stale one. Advisory: it stops a
 * second instance started by mistake, not two racing to take over one stale
 * lock in the same instant.
 */
export async function lockDir(dir: string): Promise<DirLock> {
  if (heldHere.has(dir)) throw new SpoolLockedError(`spool ${dir} is already open in this process`);
  heldHere.add(dir);
  const path = join(dir, LOCK_FILE);
  try {
    for (let attempt = 0; attempt < TAKEOVER_ATTEMPTS; attempt += 1) {
      if (await createLock(path)) {
        return {
          release: async () => {
            try {
              await removeIfPresent(path);
            } finally {
              heldHere.delete(dir);
            }
          },
        };
      }
      const holder = heldBy(await readOwner(path));
      if (holder !== undefined) throw new SpoolLockedError(`spool ${dir} is locked by ${holder}`);
      await removeIfPresent(path);
    }
    throw new SpoolLockedError(`spool ${dir}: its LOCK file keeps being recreated`);
  } catch (error) {
    heldHere.delete(dir);
    throw error;
  }
}
