import { type FileHandle, open } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { segmentPath } from './segment-files.js';
import { type SegmentState, type Segments } from './segments.js';

export interface PendingAppend {
  readonly frame: Buffer;
  readonly appendedAtMs: number;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export interface GroupCommitWriterOptions {
  readonly dir: string;
  readonly segmentBytes: number;
  readonly segments: Segments;
  /** Number for the first segment this writer creates (past every existing one). */
  readonly firstSegment: number;
  /** Called with each run of appends once they are durable, before their promises resolve. */
  readonly onDurable: (appends: readonly PendingAppend[]) => void;
  readonly onFsync?: (records: number, bytes: number, ms: number) => void;
}

async function writeAll(file: FileHandle, data: Buffer, position: number): Promise<void> {
  for (let done = 0; done < data.length;) {
    const { bytesWritten } = await file.write(data, done, data.length - done, position + done);
    done += bytesWritten;
  }
}

/** A new segment's directory entry must be durable too, or a power cut could lose the file. */
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Appends frames to the active segment with group commit: while one
 * write + fdatasync is in flight, new appends queue up, and the next round
 * writes all of them at once and syncs once. No timer: the fsync in flight is
 * the batching window. Only this writer touches the active segment's file.
 */
export class GroupCommitWriter {
  private queue: PendingAppend[] = [];
  private draining: Promise<void> | undefined;
  private active: { readonly state: SegmentState; readonly file: FileHandle } | undefined;
  private nextSegment: number;
  private pending = 0;

  constructor(private readonly options: GroupCommitWriterOptions) {
    this.nextSegment = options.firstSegment;
  }

  /** Bytes queued or being written, not yet durable. */
  get pendingBytes(): number {
    return this.pending;
  }

  /** The segment being appended to, which must not be deleted. */
  get activeSegment(): number | undefined {
    return this.active?.state.segment;
  }

  append(frame: Buffer, appendedAtMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ frame, appendedAtMs, resolve, reject });
      this.pending += frame.length;
      // Started on a microtask, so that appends made in one synchronous burst form one group.
      this.draining ??= Promise.resolve().then(() => this.drain());
    });
  }

  /** Waits until every append made so far is durable or failed, then closes the segment. */
  async close(): Promise<void> {
    await this.draining;
    await this.active?.file.close();
    this.active = undefined;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const group = this.queue;
        this.queue = [];
        await this.writeGroup(group);
      }
    } finally {
      this.draining = undefined;
    }
  }

  /** Writes the group in runs, one per segment it spans; each run is one write and one fdatasync. */
  private async writeGroup(group: readonly PendingAppend[]): Promise<void> {
    for (let start = 0; start < group.length;) {
      let active: { readonly state: SegmentState; readonly file: FileHandle };
      try {
        active = await this.openActive();
      } catch (error) {
        this.fail(group.slice(start), error);
        return;
      }
      const run = this.takeRun(group, start, active.state.size);
      start += run.length;
      await this.writeRun(active, run);
    }
  }

  /** Appends from `start` on that fit before the segment reaches `segmentBytes` (at least one). */
  private takeRun(group: readonly PendingAppend[], start: number, size: number): PendingAppend[] {
    const run: PendingAppend[] = [];
    let bytes = size;
    for (const append of group.slice(start)) {
      if (run.length > 0 && bytes >= this.options.segmentBytes) break;
      run.push(append);
      bytes += append.frame.length;
    }
    return run;
  }

  private async writeRun(
    active: { readonly state: SegmentState; readonly file: FileHandle },
    run: readonly PendingAppend[],
  ): Promise<void> {
    const data = Buffer.concat(run.map((append) => append.frame));
    const started = performance.now();
    try {
      await writeAll(active.file, data, active.state.size);
      await active.file.datasync();
    } catch (error) {
      this.fail(run, error);
      await this.abandonActive();
      return;
    }
    active.state.size += data.length;
    this.pending -= data.length;
    this.options.onDurable(run);
    for (const append of run) append.resolve();
    this.reportFsync(run.length, data.length, performance.now() - started);
  }

  /** A throwing metrics hook must not wedge the writer: its error becomes a process warning. */
  private reportFsync(records: number, bytes: number, ms: number): void {
    try {
      this.options.onFsync?.(records, bytes, ms);
    } catch (error) {
      process.emitWarning(error instanceof Error ? error : String(error), 'SpoolOnFsyncWarning');
    }
  }

  private fail(appends: readonly PendingAppend[], error: unknown): void {
    for (const append of appends) {
      this.pending -= append.frame.length;
      append.reject(error);
    }
  }

  /** The segment to append to: the current one until it is full, then a new one. */
  private async openActive(): Promise<{ readonly state: SegmentState; readonly file: FileHandle }> {
    if (this.active && this.active.state.size < this.options.segmentBytes) return this.active;
    const full = this.active;
    this.active = undefined;
    // Full and fsynced: it becomes final once the next segment exists. A failing close
    // of a synced file loses nothing, so it must not fail the appends that roll.
    await full?.file.close().catch(() => undefined);
    const segment = this.nextSegment;
    this.nextSegment += 1;
    const file = await open(segmentPath(this.options.dir, segment), 'wx');
    try {
      await syncDir(this.options.dir);
    } catch (error) {
      await file.close();
      throw error;
    }
    this.active = { state: this.options.segments.add(segment), file };
    return this.active;
  }

  /**
   * After a failed write or fsync the file's tail is unknown (and on Linux a
   * retried fsync can report success for pages it dropped), so the segment is
   * never appended to again: cut it back to its durable size if we still can,
   * and let the next append start a new segment. Errors here are ignored: the
   * durable size is what readers use, and recovery cuts any torn tail anyway.
   */
  private async abandonActive(): Promise<void> {
    const active = this.active;
    this.active = undefined;
    if (!active) return;
    await active.file.truncate(active.state.size).catch(() => undefined);
    await active.file.datasync().catch(() => undefined);
    await active.file.close().catch(() => undefined);
  }
}
