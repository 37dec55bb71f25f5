import { missingFunctions, shapeMismatch } from '../shape.js';

/**
 * kafkajs 2.2.4 builds every record, and every header of every record, in a
 * fresh `Encoder` whose constructor zero-fills a new, unpooled 512-byte
 * `Buffer.alloc`. A raw webhook record has a dozen headers, so producing one
 * cost 13 such allocations; profiling ingress showed them as the largest
 * reducible CPU cost (about 10 µs per request, plus GC).
 *
 * The pooled encoder takes its initial buffer from Node's buffer pool without
 * zero-filling (`Buffer.allocUnsafe`), and grows the same way. That is safe
 * because an Encoder only ever exposes `buf.slice(0, offset)`: bytes it wrote
 * itself. It also writes varints in place instead of through a temporary
 * array and Buffer. Everything else (methods, statics) is kafkajs's own, and
 * the header encoder is sized to the header. The specs prove the bytes are
 * identical to stock.
 */
export interface EncoderInstance {
  buf: Buffer;
  offset: number;
  readonly buffer: Buffer;
  ensureAvailable(length: number): void;
  writeUVarInt(value: number): EncoderInstance;
  writeVarIntString(value: string | null): EncoderInstance;
  writeVarIntBytes(value: Buffer | string | null): EncoderInstance;
}
export interface EncoderClass {
  new (initialSize?: number): EncoderInstance;
  nextPowerOfTwo(value: number): number;
  sizeOfVarIntBytes(value: Buffer | string | null): number;
  readonly prototype: EncoderInstance;
}
export type HeaderEncoder = (header: {
  key: string;
  value: Buffer | string | null;
}) => EncoderInstance;

/** Why kafkajs's Encoder is not the one the pooled encoder extends, if it is not. */
export function encoderMismatch(stock: unknown): string | undefined {
  if (typeof stock !== 'function') return shapeMismatch('kafkajs Encoder', ['not a class']);
  const prototype: unknown = stock.prototype;
  const problems = [
    ...missingFunctions(stock, ['nextPowerOfTwo', 'sizeOfVarIntBytes']).map((name) => `${name}()`),
    ...missingFunctions(prototype, [
      'ensureAvailable',
      'writeUVarInt',
      'writeVarInt',
      'writeVarIntString',
      'writeVarIntBytes',
      'writeEncoder',
    ]).map((name) => `prototype.${name}()`),
  ];
  if (typeof Object.getOwnPropertyDescriptor(prototype, 'buffer')?.get !== 'function')
    problems.push('get buffer()');
  if (problems.length === 0) {
    const probe = new (stock as EncoderClass)();
    if (!Buffer.isBuffer(probe.buf) || probe.offset !== 0) problems.push('fields buf and offset');
  }
  return shapeMismatch('kafkajs Encoder', problems);
}

/** kafkajs's Encoder on pooled, unzeroed memory, with in-place varints. */
export function createPooledEncoder(StockEncoder: EncoderClass): EncoderClass {
  function PooledEncoder(this: EncoderInstance, initialSize = 511): void {
    this.buf = Buffer.allocUnsafe(StockEncoder.nextPowerOfTwo(initialSize));
    this.offset = 0;
  }
  // Growth (values over the initial size, e.g. webhook bodies) takes pooled, unzeroed memory too.
  const prototype = Object.create(StockEncoder.prototype) as EncoderInstance;
  prototype.ensureAvailable = function ensureAvailable(this: EncoderInstance, length: number) {
    if (this.offset + length <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(StockEncoder.nextPowerOfTwo(this.offset + length));
    this.buf.copy(grown, 0, 0, this.offset);
    this.buf = grown;
  };
  // Varints straight into the buffer: the stock version builds an array and a Buffer.from per
  // varint, about 30 per raw record (lengths of the key, value and every header name and value).
  prototype.writeUVarInt = function writeUVarInt(this: EncoderInstance, value: number) {
    this.ensureAvailable(5);
    let rest = value;
    while ((rest & 0xffffff80) !== 0) {
      this.buf[this.offset++] = (rest & 0x7f) | 0x80;
      rest >>>= 7;
    }
    this.buf[this.offset++] = rest & 0x7f;
    return this;
  };
  PooledEncoder.prototype = prototype;
  Object.setPrototypeOf(PooledEncoder, StockEncoder);
  return PooledEncoder as unknown as EncoderClass;
}

/**
 * A record header's encoder sized to the header (the stock one reserves 512
 * bytes per header): the same bytes, a twelfth of the pool per raw record.
 */
export function createHeaderEncoder(Encoder: EncoderClass): HeaderEncoder {
  return ({ key, value }) =>
    new Encoder(Encoder.sizeOfVarIntBytes(key) + Encoder.sizeOfVarIntBytes(value))
      .writeVarIntString(key)
      .writeVarIntBytes(value);
}
