import { type SpoolPosition } from './spool-record.js';

/** A segment file and how many of its bytes are durable (fsynced whole frames). */
export interface SegmentState {
  readonly segment: number;
  size: number;
}

/**
 * The segment files in use, oldest first. A segment is final once a later one
 * exists: the writer only starts a new segment after the last write to the
 * previous one was fsynced.
 */
export class Segments {
  private readonly list: SegmentState[];

  constructor(initial: readonly SegmentState[]) {
    this.list = [...initial];
  }

  get count(): number {
    return this.list.length;
  }

  add(segment: number): SegmentState {
    const state = { segment, size: 0 };
    this.list.push(state);
    return state;
  }

  /**
   * Where the record at `position` really is: past the end of a final segment
   * (or in one already deleted) means the start of the next one. The returned
   * offset equals the segment's size when no durable record is there yet.
   */
  locate(position: SpoolPosition): { state: SegmentState; offset: number } | undefined {
    let index = this.list.findIndex((state) => state.segment >= position.segment);
    let state = this.list[index];
    if (state === undefined) return undefined;
    let offset = state.segment === position.segment ? position.offset : 0;
    for (
      let next = this.list[index + 1];
      offset >= state.size && next;
      next = this.list[index + 1]
    ) {
      index += 1;
      state = next;
      offset = 0;
    }
    return { state, offset };
  }

  /** Removes and returns the segments wholly before `cursor`, never `keep` (the one being written). */
  takeForwarded(cursor: SpoolPosition, keep: number | undefined): SegmentState[] {
    const forwarded = this.list.filter(
      (state) =>
        state.segment !== keep &&
        (state.segment < cursor.segment ||
          (state.segment === cursor.segment && cursor.offset >= state.size)),
    );
    for (const state of forwarded) this.list.splice(this.list.indexOf(state), 1);
    return forwarded;
  }
}
