/**
 * kafkajs 2.2.4 decodes each fetched record's headers by spreading the object
 * built so far once per header (a dozen copies of a growing object for a
 * record with twelve headers) and computes every record's timestamp and
 * offset through BigInt-backed Longs parsed from strings. That was the largest
 * part of consuming a record. This decoder returns the same record object
 * (the spec compares it with kafkajs's own decoder with deep equality over
 * many shapes): headers collected in one object, timestamp and offset in
 * plain numbers where they are exact (|value| < 2^53, which every real
 * timestamp and offset is), kafkajs's own Long arithmetic otherwise; short
 * ASCII header names are read without a Buffer slice. Header names that an
 * object inherits (`constructor`, `toString`, `__proto__`, ...) take
 * kafkajs's own path, quirks included, as does anything malformed. Installed
 * as the module kafkajs's record-batch decoder loads.
 */
export interface KafkajsDecoder {
  buffer: Buffer;
  offset: number;
  readInt8(): number;
  readVarInt(): number;
  readVarLong(): { toString(): string };
  readVarIntString(): string | null;
  readVarIntBytes(): Buffer | null;
}

export interface BatchContext {
  readonly firstOffset?: string;
  readonly firstTimestamp?: string;
  readonly magicByte?: number;
  readonly isControlBatch?: boolean;
  readonly timestampType?: number;
  readonly maxTimestamp?: string;
}

type HeaderValue = Buffer | null;
type Headers = Record<string, HeaderValue | HeaderValue[]>;

export interface DecodedRecord {
  readonly magicByte: number | undefined;
  readonly attributes: number;
  readonly timestamp: string | undefined;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Headers;
  readonly isControlRecord: boolean;
  readonly batchContext: BatchContext;
}

export type RecordDecoder = (decoder: KafkajsDecoder, batchContext?: BatchContext) => DecodedRecord;

export interface DecimalLongClass {
  fromValue(value: unknown): { add(addend: unknown): { toString(): string } };
}

/** What the decoder is written with: kafkajs's Long, its LOG_APPEND_TIME, its decoder for the rest. */
export interface RecordDecoderParts {
  readonly Long: DecimalLongClass;
  readonly logAppendTime: number;
  readonly stock: RecordDecoder;
}

/** Varlongs up to 7 bytes (49 bits) decode to exact numbers; longer ones go to kafkajs. */
const MAX_FAST_VARLONG_BYTES = 7;

function readSmallVarLong(decoder: KafkajsDecoder): number | undefined {
  const { buffer } = decoder;
  const start = decoder.offset;
  let result = 0;
  let scale = 1;
  for (let i = 0; i < MAX_FAST_VARLONG_BYTES; i += 1) {
    const byte = buffer[start + i];
    if (byte === undefined) return undefined;
    result += (byte & 0x7f) * scale;
    scale *= 128;
    if (byte < 0x80) {
      decoder.offset = start + i + 1;
      // Zigzag: even values are positive, odd ones negative.
      return result % 2 === 0 ? result / 2 : -(result + 1) / 2;
    }
  }
  return undefined;
}

/** Header names this long or shorter are decoded in JavaScript when they are ASCII. */
const SHORT_NAME = 48;

/**
 * `decoder.readVarIntString()`: a short ASCII name (every header name we
 * write) is built from its bytes directly, without the Buffer slice and UTF-8
 * decoder kafkajs uses; anything else goes through kafkajs's own method.
 */
function readName(decoder: KafkajsDecoder): string | null {
  const start = decoder.offset;
  const { buffer } = decoder;
  const length = buffer[start] ?? 0;
  // A one-byte varint: zigzag of 0-63, its own value doubled.
  if (length >= 0x80 || (length & 1) === 1 || length / 2 > SHORT_NAME)
    return decoder.readVarIntString();
  const end = start + 1 + length / 2;
  if (end > buffer.length) return decoder.readVarIntString();
  let name = '';
  for (let i = start + 1; i < end; i += 1) {
    const byte = buffer[i] ?? 0x80;
    if (byte >= 0x80) return decoder.readVarIntString();
    name += String.fromCharCode(byte);
  }
  decoder.offset = end;
  return name;
}

// Reused between records (decoding is synchronous); emptied after each record.
const names: (string | null)[] = [];
const values: HeaderValue[] = [];

/** What every object inherits (as this module loads): kafkajs's reduce sees those as values already there. */
const INHERITED = new Set(Object.getOwnPropertyNames(Object.prototype));

function isPlainName(name: string | null): boolean {
  return name === null || !INHERITED.has(name);
}

/** The record's headers, or undefined for a count kafkajs itself would fail on (left to kafkajs). */
function decodeHeaders(decoder: KafkajsDecoder): Headers | undefined {
  const count = decoder.readVarInt();
  if (count === -1 || count === 0) return {};
  // Negative, or more headers than bytes left for them (two at least each): corrupt, kafkajs decides.
  if (count < 0 || count * 2 > decoder.buffer.length - decoder.offset) return undefined;
  try {
    let plain = true;
    for (let i = 0; i < count; i += 1) {
      const name = readName(decoder);
      names.push(name);
      values.push(decoder.readVarIntBytes());
      if (plain && !isPlainName(name)) plain = false;
    }
    return plain ? collect() : collectLikeKafkajs();
  } finally {
    names.length = 0;
    values.length = 0;
  }
}

function collect(): Headers {
  const headers: Headers = {};
  for (let i = 0; i < names.length; i += 1) {
    const name = String(names[i]);
    const value = values[i] ?? null;
    const known = headers[name];
    if (known === undefined) headers[name] = value;
    else if (Array.isArray(known)) known.push(value);
    else headers[name] = [known, value];
  }
  return headers;
}

/** kafkajs's own reduce, verbatim in effect: inherited members count as values already there. */
function collectLikeKafkajs(): Headers {
  const pairs = names.map((key, i) => ({ key: String(key), value: values[i] ?? null }));
  return pairs.reduce<Record<string, unknown>>((obj, { key, value }) => {
    const known: unknown = obj[key];
    return {
      ...obj,
      [key]:
        known === undefined ? value : Array.isArray(known) ? known.concat([value]) : [known, value],
    };
  }, {}) as Headers;
}

export function createRecordDecoder({
  Long,
  logAppendTime,
  stock,
}: RecordDecoderParts): RecordDecoder {
  /** `Long.fromValue(base).add(delta).toString()`, in numbers when that is exact. */
  function addToDecimal(base: string, delta: number): string {
    const start = Number(base);
    const sum = start + delta;
    if (Number.isSafeInteger(start) && Number.isSafeInteger(sum) && String(start) === base)
      return String(sum);
    return Long.fromValue(base).add(delta).toString();
  }

  return function decodeRecord(
    decoder: KafkajsDecoder,
    batchContext: BatchContext = {},
  ): DecodedRecord {
    const {
      firstOffset,
      firstTimestamp,
      magicByte,
      isControlBatch = false,
      timestampType,
      maxTimestamp,
    } = batchContext;
    if (typeof firstOffset !== 'string' || typeof firstTimestamp !== 'string')
      return stock(decoder, batchContext);
    const start = decoder.offset;
    const attributes = decoder.readInt8();
    const timestampDelta = readSmallVarLong(decoder);
    if (timestampDelta === undefined) {
      decoder.offset = start;
      return stock(decoder, batchContext);
    }
    const timestamp =
      timestampType === logAppendTime && maxTimestamp
        ? maxTimestamp
        : addToDecimal(firstTimestamp, timestampDelta);
    const offsetDelta = decoder.readVarInt();
    const offset = addToDecimal(firstOffset, offsetDelta);
    const key = decoder.readVarIntBytes();
    const value = decoder.readVarIntBytes();
    const headers = decodeHeaders(decoder);
    if (headers === undefined) {
      decoder.offset = start;
      return stock(decoder, batchContext);
    }
    return {
      magicByte,
      attributes,
      timestamp,
      offset,
      key,
      value,
      headers,
      isControlRecord: isControlBatch,
      batchContext,
    };
  };
}
