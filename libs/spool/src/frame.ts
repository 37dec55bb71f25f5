import { crc32 } from 'node:zlib';
import { type SpoolRecord, type SpooledRecord } from './spool-record.js';

/**
 * On-disk frame of one record (all integers little-endian):
 *
 *   frame   = magic u32 | payloadLength u32 | crc32(payload) u32 | payload
 *   payload = appendedAtMs f64
 *           | keyLength i32 (-1 = null) | key
 *           | valueLength i32 (-1 = null) | value
 *           | headerCount u32 | header*
 *   header  = nameLength u32 | name (UTF-8) | kind u8 (0 = Buffer, 1 = string)
 *           | valueLength u32 | value
 *
 * The magic and the CRC are how recovery tells a whole frame from a torn tail:
 * a frame whose magic, length or CRC does not hold ends the segment. The header
 * kind is kept so a record comes back exactly as it was appended.
 */
export const FRAME_MAGIC = 0x31_4c_50_53; // "SPL1" read as bytes
export const FRAME_HEADER_BYTES = 12;

const NULL_LENGTH = -1;
/** appendedAtMs, key length, value length, header count. */
const MIN_PAYLOAD_BYTES = 8 + 4 + 4 + 4;
const KIND_BUFFER = 0;
const KIND_STRING = 1;

export class CorruptFrameError extends Error {
  readonly code = 'SPOOL_CORRUPT_FRAME';
  readonly retriable = false;
}

function bytesOf(value: Buffer | null): number {
  return value === null ? 0 : value.length;
}

function payloadLength(record: SpoolRecord): number {
  let length = 8 + 4 + bytesOf(record.key) + 4 + bytesOf(record.value) + 4;
  for (const [name, value] of Object.entries(record.headers)) {
    const valueBytes = typeof value === 'string' ? Buffer.byteLength(value) : value.length;
    length += 4 + Buffer.byteLength(name) + 1 + 4 + valueBytes;
  }
  return length;
}

function writeNullable(frame: Buffer, at: number, value: Buffer | null): number {
  if (value === null) return frame.writeInt32LE(NULL_LENGTH, at);
  at = frame.writeInt32LE(value.length, at);
  return at + value.copy(frame, at);
}

/** The record as one frame, ready to be written. */
export function encodeFrame(record: SpoolRecord, appendedAtMs: number): Buffer {
  const length = payloadLength(record);
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + length);
  let at = frame.writeDoubleLE(appendedAtMs, FRAME_HEADER_BYTES);
  at = writeNullable(frame, at, record.key);
  at = writeNullable(frame, at, record.value);
  const headers = Object.entries(record.headers);
  at = frame.writeUInt32LE(headers.length, at);
  for (const [name, value] of headers) {
    at = frame.writeUInt32LE(Buffer.byteLength(name), at);
    at += frame.write(name, at);
    const isString = typeof value === 'string';
    at = frame.writeUInt8(isString ? KIND_STRING : KIND_BUFFER, at);
    const valueBytes = isString ? Buffer.byteLength(value) : value.length;
    at = frame.writeUInt32LE(valueBytes, at);
    at += isString ? frame.write(value, at) : value.copy(frame, at);
  }
  frame.writeUInt32LE(FRAME_MAGIC, 0);
  frame.writeUInt32LE(length, 4);
  frame.writeUInt32LE(crc32(frame.subarray(FRAME_HEADER_BYTES)), 8);
  return frame;
}

export type FrameCheck =
  | { readonly ok: true; readonly frameBytes: number; readonly appendedAtMs: number }
  /** The chunk ends before the frame does, the file does not: read `frameBytes` from `at`. */
  | { readonly ok: false; readonly reason: 'short'; readonly frameBytes: number }
  | { readonly ok: false; readonly reason: 'magic' | 'length' | 'crc' };

/**
 * Checks the frame starting at `at` in `chunk`, given that the file has
 * `available` bytes from there on (the chunk may hold fewer).
 */
export function checkFrame(chunk: Buffer, at: number, available: number): FrameCheck {
  if (available < FRAME_HEADER_BYTES) return { ok: false, reason: 'length' };
  if (chunk.length - at < FRAME_HEADER_BYTES) {
    return { ok: false, reason: 'short', frameBytes: FRAME_HEADER_BYTES };
  }
  if (chunk.readUInt32LE(at) !== FRAME_MAGIC) return { ok: false, reason: 'magic' };
  const length = chunk.readUInt32LE(at + 4);
  const frameBytes = FRAME_HEADER_BYTES + length;
  if (length < MIN_PAYLOAD_BYTES || frameBytes > available) return { ok: false, reason: 'length' };
  if (chunk.length - at < frameBytes) return { ok: false, reason: 'short', frameBytes };
  const payload = chunk.subarray(at + FRAME_HEADER_BYTES, at + frameBytes);
  if (crc32(payload) !== chunk.readUInt32LE(at + 8)) return { ok: false, reason: 'crc' };
  return { ok: true, frameBytes, appendedAtMs: payload.readDoubleLE(0) };
}

/** Length of the whole frame at `at`, from its header (the chunk must hold the header). */
export function frameBytesAt(chunk: Buffer, at: number): number {
  if (chunk.readUInt32LE(at) !== FRAME_MAGIC) {
    throw new CorruptFrameError(`spool frame at ${at} of its chunk has no magic`);
  }
  return FRAME_HEADER_BYTES + chunk.readUInt32LE(at + 4);
}

/** Reads a payload field by field, within `end`; strings are decoded without a Buffer view. */
class PayloadReader {
  constructor(
    private readonly chunk: Buffer,
    private at: number,
    private readonly end: number,
  ) {}

  u8(): number {
    return this.chunk.readUInt8(this.advance(1));
  }

  u32(): number {
    return this.chunk.readUInt32LE(this.advance(4));
  }

  f64(): number {
    return this.chunk.readDoubleLE(this.advance(8));
  }

  bytes(length: number): Buffer {
    const start = this.advance(length);
    return this.chunk.subarray(start, start + length);
  }

  text(length: number): string {
    const start = this.advance(length);
    return this.chunk.toString('utf8', start, start + length);
  }

  nullable(): Buffer | null {
    const length = this.chunk.readInt32LE(this.advance(4));
    return length === NULL_LENGTH ? null : this.bytes(length);
  }

  get done(): boolean {
    return this.at === this.end;
  }

  private advance(length: number): number {
    const start = this.at;
    if (length < 0 || start + length > this.end) {
      throw new CorruptFrameError('spool record payload ends early');
    }
    this.at += length;
    return start;
  }
}

/**
 * The record in a frame already known to be whole. Key, value and Buffer
 * header values are views into `chunk`, not copies.
 */
export function decodeFrame(chunk: Buffer, at: number): SpooledRecord {
  const reader = new PayloadReader(chunk, at + FRAME_HEADER_BYTES, at + frameBytesAt(chunk, at));
  const appendedAtMs = reader.f64();
  const key = reader.nullable();
  const value = reader.nullable();
  const headers: Record<string, Buffer | string> = {};
  for (let count = reader.u32(); count > 0; count -= 1) {
    const name = reader.text(reader.u32());
    const kind = reader.u8();
    const length = reader.u32();
    if (kind !== KIND_STRING && kind !== KIND_BUFFER) {
      throw new CorruptFrameError(`spool record header ${name} has unknown kind ${kind}`);
    }
    const headerValue = kind === KIND_STRING ? reader.text(length) : reader.bytes(length);
    if (name === '__proto__') {
      // Assigning would set the prototype: define it, so it comes back as an own header.
      Object.defineProperty(headers, name, {
        value: headerValue,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else {
      headers[name] = headerValue;
    }
  }
  if (!reader.done) throw new CorruptFrameError('spool record payload has trailing bytes');
  return { key, value, headers, appendedAtMs };
}
