import { type FileHandle, open } from 'node:fs/promises';
import { FRAME_HEADER_BYTES, decodeFrame, frameBytesAt } from './frame.js';
import { segmentPath } from './segment-files.js';
import { type SegmentState, type Segments } from './segments.js';
import { type SpoolBatch, type SpoolPosition, type SpooledRecord } from './spool-record.js';

/** One positional read serves many records; records are views into it, so it is never reused. */
const READ_CHUNK_BYTES = 4 * 1024 * 1024;

interface Chunk {
  readonly segment: number;
  readonly start: number;
  readonly bytes: Buffer;
}

/**
 * Reads durable records (below each segment's durable size) in big chunks.
 * The last chunk is kept, so consecutive small batches cost no extra reads.
 */
export class SegmentReader {
  private file: { readonly segment: number; readonly handle: FileHandle } | undefined;
  private chunk: Chunk | undefined;

  constructor(
    private readonly dir: string,
    private readonly segments: Segments,
  ) {}

  /** Up to `maxRecords` records from `from` on, within `maxBytes` unless the first alone is larger. */
  async read(
    from: SpoolPosition,
    maxRecords: number,
    maxBytes: number,
  ): Promise<SpoolBatch | undefined> {
    const records: SpooledRecord[] = [];
    let bytes = 0;
    let position = from;
    for (let full = false; !full && records.length < maxRecords;) {
      const at = this.segments.locate(position);
      if (at === undefined || at.offset >= at.state.size) break;
      let offset = at.offset;
      while (offset < at.state.size && records.length < maxRecords) {
        const header =
          this.cached(at.state, offset, FRAME_HEADER_BYTES) ??
          (await this.load(at.state, offset, FRAME_HEADER_BYTES));
        const frameBytes = frameBytesAt(header.bytes, offset - header.start);
        full = records.length > 0 && bytes + frameBytes > maxBytes;
        if (full) break;
        const chunk =
          this.cached(at.state, offset, frameBytes) ??
          (await this.load(at.state, offset, frameBytes));
        records.push(decodeFrame(chunk.bytes, offset - chunk.start));
        bytes += frameBytes;
        offset += frameBytes;
      }
      position = { segment: at.state.segment, offset };
    }
    return records.length === 0 ? undefined : { records, bytes, end: position };
  }

  async close(): Promise<void> {
    const file = this.file;
    this.file = undefined;
    this.chunk = undefined;
    await file?.handle.close();
  }

  /** The kept chunk, if it holds `length` bytes of `state` from `offset` on. */
  private cached(state: SegmentState, offset: number, length: number): Chunk | undefined {
    const chunk = this.chunk;
    const holds =
      chunk?.segment === state.segment &&
      offset >= chunk.start &&
      offset + length <= chunk.start + chunk.bytes.length;
    return holds ? chunk : undefined;
  }

  /** Reads a new chunk from `offset` on: a big one, and at least `length` bytes. */
  private async load(state: SegmentState, offset: number, length: number): Promise<Chunk> {
    const want = Math.min(Math.max(READ_CHUNK_BYTES, length), state.size - offset);
    const handle = await this.handleFor(state.segment);
    const { bytesRead, buffer } = await handle.read(Buffer.allocUnsafe(want), 0, want, offset);
    if (bytesRead < length) {
      throw new Error(
        `spool segment ${state.segment} is shorter than its ${state.size} durable bytes (read ${bytesRead} at ${offset})`,
      );
    }
    this.chunk = { segment: state.segment, start: offset, bytes: buffer.subarray(0, bytesRead) };
    return this.chunk;
  }

  private async handleFor(segment: number): Promise<FileHandle> {
    if (this.file?.segment === segment) return this.file.handle;
    await this.close();
    const handle = await open(segmentPath(this.dir, segment), 'r');
    this.file = { segment, handle };
    return handle;
  }
}
