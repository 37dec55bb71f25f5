import { mkdir, realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type DirLock, lockDir } from './dir-lock.js';
import { SpoolLockedError, SpoolOpenError, errnoCode } from './errors.js';
import { type RecoveredSpool, recoverSpool } from './recover.js';

function openError(dir: string, error: unknown): Error {
  if (error instanceof SpoolLockedError || error instanceof SpoolOpenError) return error;
  const path = error instanceof Error ? (error as NodeJS.ErrnoException).path : undefined;
  return new SpoolOpenError(dir, errnoCode(error), path, error);
}

/**
 * Creates, locks and recovers the spool directory. Every failure is a
 * rejection (SpoolLockedError, or SpoolOpenError carrying the system error's
 * code and path), with the lock released again if it was taken.
 */
export async function openSpoolDir(
  dir: string,
): Promise<{ dir: string; lock: DirLock; recovered: RecoveredSpool }> {
  const absolute = resolve(dir);
  let real: string;
  let lock: DirLock;
  try {
    await mkdir(absolute, { recursive: true });
    // The real path, so that two spellings of one directory share one lock.
    real = await realpath(absolute);
    lock = await lockDir(real);
  } catch (error) {
    throw openError(absolute, error);
  }
  try {
    return { dir: real, lock, recovered: await recoverSpool(real) };
  } catch (error) {
    await lock.release().catch(() => undefined);
    throw openError(absolute, error);
  }
}
