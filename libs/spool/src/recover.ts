import { unlink } from 'node:fs/promises';
import { readCheckpoint } from './checkpoint.js';
import { listSegments, scanSegment, segmentPath } from './segment-files.js';
import { type SegmentState } from './segments.js';
import { type SpoolPosition, type SpoolRecovery, comparePositions } from './spool-record.js';
import { UnforwardedRecords } from './unforwarded-records.js';

export interface RecoveredSpool {
  /** Segments that still hold unforwarded records, oldest first. */
  readonly segments: SegmentState[];
  readonly unforwarded: UnforwardedRecords;
  /** Start of the oldest unforwarded record (where reading and committing resume). */
  readonly cursor: SpoolPosition;
  /** Past every segment number seen on disk or in the checkpoint, so none is ever reused. */
  readonly nextSegment: number;
  readonly recovery: SpoolRecovery;
}

/**
 * Rebuilds the spool's state from `dir`: scans every segment (cutting torn
 * tails), counts the records at or after the checkpoint as unforwarded, and
 * deletes segments with none (left behind when a crash came between writing
 * the checkpoint and unlinking them, or emptied by a torn tail).
 */
export async function recoverSpool(dir: string): Promise<RecoveredSpool> {
  const checkpoint = await readCheckpoint(dir);
  const isForwarded = (position: SpoolPosition): boolean =>
    checkpoint !== undefined && comparePositions(position, checkpoint) < 0;
  const found = await listSegments(dir);
  const segments: SegmentState[] = [];
  const unforwarded = new UnforwardedRecords();
  let cursor: SpoolPosition | undefined;
  let tornBytes = 0;
  let tornSegments = 0;

  for (const segment of found) {
    const path = segmentPath(dir, segment);
    if (checkpoint !== undefined && segment < checkpoint.segment) {
      await unlink(path);
      continue;
    }
    const before = unforwarded.records;
    const scan = await scanSegment(path, ({ offset, frameBytes, appendedAtMs }) => {
      if (isForwarded({ segment, offset })) return;
      cursor ??= { segment, offset };
      unforwarded.push(frameBytes, appendedAtMs);
    });
    if (scan.tornBytes > 0) {
      tornBytes += scan.tornBytes;
      tornSegments += 1;
    }
    if (unforwarded.records === before) await unlink(path);
    else segments.push({ segment, size: scan.size });
  }

  const nextSegment = Math.max(checkpoint?.segment ?? -1, found.at(-1) ?? -1) + 1;
  return {
    segments,
    unforwarded,
    cursor: cursor ?? { segment: nextSegment, offset: 0 },
    nextSegment,
    recovery: {
      segments: segments.length,
      records: unforwarded.records,
      bytes: unforwarded.bytes,
      tornBytes,
      tornSegments,
    },
  };
}
