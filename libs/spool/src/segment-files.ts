import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { checkFrame } from './frame.js';

const SEGMENT_NAME = /^(\d{20})\.seg$/;
const SCAN_CHUNK_BYTES = 4 * 1024 * 1024;

export function segmentPath(dir: string, segment: number): string {
  return join(dir, `${String(segment).padStart(20, '0')}.seg`);
}

/** Sequence numbers of the segment files in `dir`, oldest first. */
export async function listSegments(dir: string): Promise<number[]> {
  const segments: number[] = [];
  for (const name of await readdir(dir)) {
    const match = SEGMENT_NAME.exec(name);
    if (match?.[1] !== undefined) segments.push(Number(match[1]));
  }
  return segments.sort((a, b) => a - b);
}

export interface ScannedFrame {
  readonly offset: number;
  readonly frameBytes: number;
  readonly appendedAtMs: number;
}

export interface SegmentScan {
  /** Size after cutting off a torn tail. */
  readonly size: number;
  readonly tornBytes: number;
}

/**
 * Reads a segment front to back in big positional reads, calling `onFrame` for
 * every whole frame. The first frame with a bad magic, a length past the end of
 * the file or a wrong CRC ends the segment: the file is truncated there and
 * fsynced, so appends after recovery are never behind garbage.
 */
export async function scanSegment(
  path: string,
  onFrame: (frame: ScannedFrame) => void,
): Promise<SegmentScan> {
  const file = await open(path, 'r+');
  try {
    const { size } = await file.stat();
    let chunk = Buffer.alloc(0);
    let chunkStart = 0;
    let offset = 0;
    while (offset < size) {
      const check = checkFrame(chunk, offset - chunkStart, size - offset);
      if (check.ok) {
        onFrame({ offset, frameBytes: check.frameBytes, appendedAtMs: check.appendedAtMs });
        offset += check.frameBytes;
        continue;
      }
      if (check.reason !== 'short') break;
      const want = Math.min(size - offset, Math.max(SCAN_CHUNK_BYTES, check.frameBytes));
      const { bytesRead, buffer } = await file.read(Buffer.allocUnsafe(want), 0, want, offset);
      // The file shrank under us: whatever is missing counts as torn.
      if (bytesRead < check.frameBytes) break;
      chunk = buffer.subarray(0, bytesRead);
      chunkStart = offset;
    }
    if (offset < size) {
      await file.truncate(offset);
      await file.datasync();
    }
    return { size: offset, tornBytes: size - offset };
  } finally {
    await file.close();
  }
}
