import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isErrnoCode } from './errors.js';
import { type SpoolPosition } from './spool-record.js';

const CHECKPOINT_FILE = 'checkpoint';
const CHECKPOINT_TMP_FILE = 'checkpoint.tmp';

function isPosition(value: unknown): value is SpoolPosition {
  if (typeof value !== 'object' || value === null) return false;
  const { segment, offset } = value as Record<string, unknown>;
  return Number.isSafeInteger(segment) && Number.isSafeInteger(offset);
}

/**
 * The forwarded cursor saved by the last commit, or undefined when there is
 * none or it cannot be read: then everything on disk is forwarded again,
 * which the consumer dedups.
 */
export async function readCheckpoint(dir: string): Promise<SpoolPosition | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, CHECKPOINT_FILE), 'utf8');
  } catch (error) {
    if (isErrnoCode(error, 'ENOENT')) return undefined;
    throw error;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    return isPosition(parsed) ? { segment: parsed.segment, offset: parsed.offset } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Replaces the checkpoint atomically (write a temporary file, rename it over).
 * Not fsynced: a checkpoint lost in a power cut only means records are
 * forwarded again, and Kafka's consumers dedup them by `webhook-id`.
 */
export async function writeCheckpoint(dir: string, position: SpoolPosition): Promise<void> {
  const tmp = join(dir, CHECKPOINT_TMP_FILE);
  await writeFile(
    tmp,
    `${JSON.stringify({ segment: position.segment, offset: position.offset })}\n`,
  );
  await rename(tmp, join(dir, CHECKPOINT_FILE));
}
