import { unlink } from 'node:fs/promises';
import { writeCheckpoint } from './checkpoint.js';
import { type DirLock } from './dir-lock.js';
import { SpoolClosedError, SpoolFullError } from './errors.js';
import { encodeFrame } from './frame.js';
import { GroupCommitWriter } from './group-commit-writer.js';
import { walkRecords } from './walk-records.js';
import { openSpoolDir } from './open-spool-dir.js';
import { type RecoveredSpool } from './recover.js';
import { segmentPath } from './segment-files.js';
import { SegmentReader } from './segment-reader.js';
import { Segments } from './segments.js';
import {
  type SpoolBatch,
  type SpoolOptions,
  type SpoolPosition,
  type SpoolRecord,
  type SpoolRecovery,
  comparePositions,
} from './spool-record.js';
import { type UnforwardedRecords } from './unforwarded-records.js';

const DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024;

/**
 * The ingress's local write-ahead log (see README.md): `append` resolves once
 * the record is fsynced; a forwarder `read`s batches in append order, and
 * `commit`s each once Kafka has it, which frees its bytes and deletes
 * segments wholly forwarded. Everything runs on one event loop, so reads,
 * commits and appends may interleave freely.
 */
export class Spool {
  /** What open() found: the records and bytes to forward, and the torn tails it cut off. */
  readonly recovery: SpoolRecovery;
  private readonly segments: Segments;
  private readonly unforwarded: UnforwardedRecords;
  private readonly writer: GroupCommitWriter;
  private readonly reader: SegmentReader;
  private readonly now: () => number;
  /** Start of the oldest unforwarded record. */
  private commitCursor: SpoolPosition;
  /** Where the next `read` starts: after the last batch handed out. */
  private readCursor: SpoolPosition;
  /** Bumped whenever the read cursor is moved by something other than a read. */
  private generation = 0;
  private reading: Promise<unknown> = Promise.resolve();
  /** The checkpoint save running or last run; never rejects. */
  private saving: Promise<unknown> = Promise.resolve();
  /** A save waiting for the running one, which later commits join. */
  private queuedSave: Promise<void> | undefined;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly dir: string,
    private readonly lock: DirLock,
    recovered: RecoveredSpool,
    private readonly options: SpoolOptions,
  ) {
    this.recovery = recovered.recovery;
    this.unforwarded = recovered.unforwarded;
    this.segments = new Segments(recovered.segments);
    this.commitCursor = recovered.cursor;
    this.readCursor = recovered.cursor;
    this.now = options.now ?? Date.now;
    this.reader = new SegmentReader(dir, this.segments);
    this.writer = new GroupCommitWriter({
      dir,
      segmentBytes: options.segmentBytes ?? DEFAULT_SEGMENT_BYTES,
      segments: this.segments,
      firstSegment: recovered.nextSegment,
      onDurable: (appends) => {
        for (const append of appends)
          this.unforwarded.push(append.frame.length, append.appendedAtMs);
      },
      onFsync: options.onFsync,
    });
  }

  /** Creates the directory if needed, locks it, recovers what is on disk. */
  static async open(options: SpoolOptions): Promise<Spool> {
    if (!(options.maxBytes > 0)) throw new RangeError('spool: maxBytes must be positive');
    if (options.segmentBytes !== undefined && !(options.segmentBytes > 0)) {
      throw new RangeError('spool: segmentBytes must be positive');
    }
    const { dir, lock, recovered } = await openSpoolDir(options.dir);
    return new Spool(dir, lock, recovered, options);
  }

  /** Unforwarded bytes, framing included. */
  get bytes(): number {
    return this.unforwarded.bytes;
  }

  /** Unforwarded records. */
  get records(): number {
    return this.unforwarded.records;
  }

  get oldestAppendedAtMs(): number | undefined {
    return this.unforwarded.oldestAppendedAtMs;
  }

  get empty(): boolean {
    return this.unforwarded.records === 0;
  }

  /**
   * Resolves once the record is on disk and fsynced (appends waiting together
   * share one fsync). Rejects, without writing, with SpoolFullError when it
   * would take the unforwarded bytes past maxBytes; rejects with the system
   * error when the write or fsync fails, and then the record is not counted.
   */
  append(record: SpoolRecord): Promise<void> {
    if (this.closing) return Promise.reject(new SpoolClosedError(`spool ${this.dir} is closed`));
    const appendedAtMs = this.now();
    let frame: Buffer;
    try {
      frame = encodeFrame(record, appendedAtMs);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    const total = this.unforwarded.bytes + this.writer.pendingBytes + frame.length;
    if (total > this.options.maxBytes) {
      return Promise.reject(
        new SpoolFullError(
          `spool ${this.dir} is full: ${total} bytes > maxBytes ${this.options.maxBytes}`,
        ),
      );
    }
    return this.writer.append(frame, appendedAtMs);
  }

  /**
   * The next durable records after the last batch handed out, in append order
   * (possibly across segments): up to maxRecords, within maxBytes unless the
   * first record alone is larger. Undefined when there are none yet.
   */
  read(maxRecords: number, maxBytes: number): Promise<SpoolBatch | undefined> {
    if (this.closing) return Promise.reject(new SpoolClosedError(`spool ${this.dir} is closed`));
    if (!(maxRecords >= 1)) return Promise.reject(new RangeError('spool: maxRecords must be >= 1'));
    // One read at a time, so that each starts where the previous one ended.
    const result = this.reading.then(() => this.readNext(maxRecords, maxBytes));
    this.reading = result.catch(() => undefined);
    return result;
  }

  /**
   * The batch, and everything before it, is in Kafka: frees its records,
   * saves the cursor to the checkpoint and deletes segments wholly forwarded.
   * Committing a batch already covered by an earlier commit does nothing more.
   */
  commit(batch: SpoolBatch): Promise<void> {
    if (this.closing) return Promise.reject(new SpoolClosedError(`spool ${this.dir} is closed`));
    try {
      this.advanceCommitCursor(batch.end);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return this.persistCursor();
  }

  /** A batch handed out failed: the next read starts again at the oldest uncommitted record. */
  rewind(): void {
    this.readCursor = this.commitCursor;
    this.generation += 1;
  }

  /** Waits for pending appends' fsync and in-flight reads and commits, then releases the lock. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async readNext(maxRecords: number, maxBytes: number): Promise<SpoolBatch | undefined> {
    for (;;) {
      const generation = this.generation;
      try {
        const batch = await this.reader.read(this.readCursor, maxRecords, maxBytes);
        if (generation !== this.generation) continue;
        if (batch) this.readCursor = batch.end;
        return batch;
      } catch (error) {
        // A commit moved the cursor past what we were reading (and may have deleted its
        // segment): read again from the new cursor.
        if (generation !== this.generation) continue;
        throw error;
      }
    }
  }

  /** Moves the commit cursor to `target`, dropping the records it passes. */
  private advanceCommitCursor(target: SpoolPosition): void {
    const { records, cursor } = walkRecords(
      this.segments,
      this.unforwarded,
      this.commitCursor,
      target,
    );
    this.unforwarded.drop(records);
    this.commitCursor = cursor;
    if (comparePositions(this.readCursor, cursor) < 0) {
      this.readCursor = cursor;
      this.generation += 1;
    }
  }

  /**
   * Saves the commit cursor, then deletes the segments wholly before it (never
   * the one being appended to). One save runs at a time; commits arriving
   * meanwhile share the next one, which saves the latest cursor.
   */
  private persistCursor(): Promise<void> {
    if (this.queuedSave) return this.queuedSave;
    const save = this.saving.then(() => {
      this.queuedSave = undefined;
      return this.saveCursor();
    });
    this.queuedSave = save;
    this.saving = save.catch(() => undefined);
    return save;
  }

  private async saveCursor(): Promise<void> {
    const cursor = this.commitCursor;
    await writeCheckpoint(this.dir, cursor);
    for (const state of this.segments.takeForwarded(cursor, this.writer.activeSegment)) {
      await unlink(segmentPath(this.dir, state.segment));
    }
  }

  private async shutdown(): Promise<void> {
    try {
      await this.writer.close();
      await this.reading;
      await this.saving;
      await this.reader.close();
    } finally {
      await this.lock.release();
    }
  }
}
