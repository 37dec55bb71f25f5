/** A kafkajs Message, minus what the spool never uses (partition, timestamp). */
export interface SpoolRecord {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** Single values only: kafkajs's array-valued headers are never spooled. */
  readonly headers: Readonly<Record<string, Buffer | string>>;
}

export interface SpooledRecord extends SpoolRecord {
  /** Wall-clock ms when the record was appended. */
  readonly appendedAtMs: number;
}

/**
 * A place in the spool: a segment's sequence number and a byte offset in it.
 * Opaque to callers; it is shown only so that logs can name where a batch ended.
 */
export interface SpoolPosition {
  readonly segment: number;
  readonly offset: number;
}

export interface SpoolBatch {
  readonly records: readonly SpooledRecord[];
  /** Bytes on disk of these records, framing included (what `Spool.bytes` counts). */
  readonly bytes: number;
  /** Just after the last record: what `commit` advances the forwarded cursor to. */
  readonly end: SpoolPosition;
}

export interface SpoolOptions {
  /** Created if missing (recursive). */
  readonly dir: string;
  /** Unforwarded bytes on disk (framing included); an append beyond it rejects with SpoolFullError. */
  readonly maxBytes: number;
  /** Roll to a new segment file once the current one reaches this size (default 64 MiB). */
  readonly segmentBytes?: number;
  /** Called once per group commit: records and bytes made durable, ms spent in write + fdatasync. */
  readonly onFsync?: (records: number, bytes: number, ms: number) => void;
  /** Wall clock for `appendedAtMs` (default Date.now). */
  readonly now?: () => number;
}

/** What `Spool.open` found on disk. */
export interface SpoolRecovery {
  /** Segment files kept (fully forwarded ones are deleted). */
  segments: number;
  /** Unforwarded records, i.e. what will be read again. */
  records: number;
  /** Unforwarded bytes, framing included. */
  bytes: number;
  /** Bytes cut off torn segment tails. */
  tornBytes: number;
  /** Segments that had a torn tail. */
  tornSegments: number;
}

export function comparePositions(a: SpoolPosition, b: SpoolPosition): number {
  return a.segment - b.segment || a.offset - b.offset;
}
