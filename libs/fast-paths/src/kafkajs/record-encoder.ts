/**
 * kafkajs 2.2.4 encodes each produced record with one Encoder for the record
 * plus one per header, computes every string's byte length two or three
 * times, and writes the timestamp delta through BigInt arithmetic. That was
 * the largest part of producing a record with a dozen headers. This encodes
 * the same record in one pass into one exactly-sized buffer: the same bytes
 * (the spec compares them with kafkajs's own encoder over many shapes), the
 * same Encoder-typed result the RecordBatch expects. Anything outside the
 * shapes kafkajs itself accepts (keys, values and header values as strings or
 * Buffers, integer deltas) goes to kafkajs's encoder unchanged, errors
 * included. Installed as the module kafkajs's produce request loads.
 */
type Bytes = Buffer | string;
export interface RecordInput {
  readonly offsetDelta?: number;
  readonly timestampDelta?: number;
  readonly key?: Bytes | null;
  readonly value?: Bytes | null;
  readonly headers?: Readonly<Record<string, Bytes | readonly Bytes[]>>;
}
/** A kafkajs Encoder holding one record: `buffer` is the encoded bytes. */
export interface EncodedRecord {
  buf: Buffer;
  offset: number;
  readonly buffer: Buffer;
}
export type RecordEncoder = (record: RecordInput) => EncodedRecord;

/** Zigzag varint size, as kafkajs computes it (32-bit). */
function varIntSize(value: number): number {
  let encoded = (value << 1) ^ (value >> 31);
  let bytes = 1;
  while ((encoded & 0xffffff80) !== 0) {
    bytes += 1;
    encoded >>>= 7;
  }
  return bytes;
}

function writeVarInt(buf: Buffer, offset: number, value: number): number {
  let rest = (value << 1) ^ (value >> 31);
  let at = offset;
  while ((rest & 0xffffff80) !== 0) {
    buf[at++] = (rest & 0x7f) | 0x80;
    rest >>>= 7;
  }
  buf[at++] = rest & 0x7f;
  return at;
}

/** 64-bit zigzag of an integer under 2^52 in magnitude: exact in a double. */
const zigzag64 = (value: number): number => (value >= 0 ? value * 2 : -value * 2 - 1);

function varLongSize(value: number): number {
  let rest = zigzag64(value);
  let bytes = 1;
  while (rest >= 128) {
    bytes += 1;
    rest = Math.floor(rest / 128);
  }
  return bytes;
}

function writeVarLong(buf: Buffer, offset: number, value: number): number {
  let rest = zigzag64(value);
  let at = offset;
  while (rest >= 128) {
    buf[at++] = (rest % 128) | 0x80;
    rest = Math.floor(rest / 128);
  }
  buf[at++] = rest;
  return at;
}

const byteSize = (value: Bytes): number =>
  typeof value === 'string' ? Buffer.byteLength(value) : value.length;
const isBytes = (value: unknown): value is Bytes =>
  typeof value === 'string' || Buffer.isBuffer(value);

/** Below this many bytes a JavaScript loop beats a native write or copy (about 2x for header strings). */
const SHORT = 64;

function writeBytes(buf: Buffer, offset: number, value: Bytes, size: number): number {
  const at = writeVarInt(buf, offset, size);
  if (size > SHORT) {
    if (typeof value === 'string') buf.write(value, at, size, 'utf8');
    else value.copy(buf, at);
  } else if (typeof value !== 'string') {
    for (let i = 0; i < size; i += 1) buf[at + i] = value[i] ?? 0;
  } else if (size === value.length) {
    // As many UTF-8 bytes as UTF-16 units: all ASCII, one byte per unit.
    for (let i = 0; i < size; i += 1) buf[at + i] = value.charCodeAt(i);
  } else {
    buf.write(value, at, size, 'utf8');
  }
  return at + size;
}

// Per-call scratch (encoding is synchronous): header keys, values and their byte sizes.
const names: string[] = [];
const values: Bytes[] = [];
const sizes: number[] = [];

/** Fills the scratch arrays with the flattened headers; false when one is not a string or Buffer. */
function collectHeaders(headers: Readonly<Record<string, Bytes | readonly Bytes[]>>): boolean {
  names.length = 0;
  values.length = 0;
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (typeof value === 'string') {
      names.push(name);
      values.push(value);
    } else if (Array.isArray(value)) {
      for (const item of value as readonly unknown[]) {
        if (!isBytes(item)) return false;
        names.push(name);
        values.push(item);
      }
    } else {
      if (!isBytes(value)) return false;
      names.push(name);
      values.push(value);
    }
  }
  return true;
}

/**
 * The record encoder, answering in kafkajs's `Encoder` type (`Encoder` is the
 * class kafkajs's RecordBatch writes records with) and falling back to
 * kafkajs's own record encoder `stock` for shapes it does not model.
 */
export function createRecordEncoder(
  Encoder: { readonly prototype: object },
  stock: RecordEncoder,
): RecordEncoder {
  return function encodeRecord(record: RecordInput): EncodedRecord {
    const { offsetDelta = 0, timestampDelta = 0, key, value, headers = {} } = record;
    if (
      !Number.isInteger(timestampDelta) ||
      Math.abs(timestampDelta) >= 2 ** 52 ||
      !Number.isInteger(offsetDelta) ||
      (key != null && !isBytes(key)) ||
      (value != null && !isBytes(value)) ||
      !collectHeaders(headers)
    )
      return stock(record);
    const keySize = key == null ? -1 : byteSize(key);
    const valueSize = value == null ? -1 : byteSize(value);
    let body =
      1 +
      varLongSize(timestampDelta) +
      varIntSize(offsetDelta) +
      varIntSize(keySize) +
      Math.max(keySize, 0) +
      varIntSize(valueSize) +
      Math.max(valueSize, 0) +
      varIntSize(names.length);
    sizes.length = 0;
    for (let i = 0; i < names.length; i += 1) {
      const nameSize = Buffer.byteLength(names[i] ?? '');
      const headerValueSize = byteSize(values[i] ?? '');
      sizes.push(nameSize, headerValueSize);
      body += varIntSize(nameSize) + nameSize + varIntSize(headerValueSize) + headerValueSize;
    }
    const total = varIntSize(body) + body;
    const buf = Buffer.allocUnsafe(total);
    let at = writeVarInt(buf, 0, body);
    buf[at++] = 0; // attributes
    at = writeVarLong(buf, at, timestampDelta);
    at = writeVarInt(buf, at, offsetDelta);
    at = key == null ? writeVarInt(buf, at, -1) : writeBytes(buf, at, key, keySize);
    at = value == null ? writeVarInt(buf, at, -1) : writeBytes(buf, at, value, valueSize);
    at = writeVarInt(buf, at, names.length);
    for (let i = 0; i < names.length; i += 1) {
      at = writeBytes(buf, at, names[i] ?? '', sizes[2 * i] ?? 0);
      at = writeBytes(buf, at, values[i] ?? '', sizes[2 * i + 1] ?? 0);
    }
    if (at !== total) throw new Error(`kafkajs record encoder: wrote ${at} of ${total} bytes`);
    return encoderHolding(Encoder, buf);
  };
}

/** A kafkajs Encoder whose written bytes are all of `buf`. */
export function encoderHolding(
  Encoder: { readonly prototype: object },
  buf: Buffer,
): EncodedRecord {
  const encoded = Object.create(Encoder.prototype) as EncodedRecord;
  encoded.buf = buf;
  encoded.offset = buf.length;
  return encoded;
}
