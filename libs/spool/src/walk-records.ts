import { type Segments } from './segments.js';
import { type SpoolPosition, comparePositions } from './spool-record.js';
import { type UnforwardedRecords } from './unforwarded-records.js';

/**
 * How many unforwarded records lie between `from` (the start of the oldest
 * one) and `target`, walking their frame sizes across segments; and where the
 * walk ends, which is `target` itself unless `target` is at or before `from`
 * (a batch already committed). Throws when `target` is not a record boundary
 * of this spool.
 */
export function walkRecords(
  segments: Segments,
  unforwarded: UnforwardedRecords,
  from: SpoolPosition,
  target: SpoolPosition,
): { records: number; cursor: SpoolPosition } {
  let cursor = from;
  let records = 0;
  while (comparePositions(cursor, target) < 0) {
    const at = segments.locate(cursor);
    if (at === undefined || at.offset >= at.state.size) {
      throw new RangeError(`spool: ${JSON.stringify(target)} is past the last durable record`);
    }
    const end = at.state.segment === target.segment ? target.offset : at.state.size;
    let offset = at.offset;
    while (offset < end) {
      const frameBytes = unforwarded.frameBytesAt(records);
      if (frameBytes === undefined) {
        throw new RangeError(`spool: ${JSON.stringify(target)} is past the unforwarded records`);
      }
      offset += frameBytes;
      records += 1;
    }
    cursor = { segment: at.state.segment, offset };
  }
  if (records > 0 && comparePositions(cursor, target) !== 0) {
    throw new RangeError(
      `spool: ${JSON.stringify(target)} is not the end of a batch of this spool`,
    );
  }
  return { records, cursor };
}
