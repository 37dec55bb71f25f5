import { createRequire } from 'node:module';

/**
 * kafkajs 2.2.4 builds every record, and every header of every record, in a
 * fresh `Encoder` whose constructor zero-fills a new, unpooled 512-byte
 * `Buffer.alloc`. A raw webhook record has a dozen headers, so producing one
 * cost 13 such allocations; profiling ingress showed them as the largest
 * reducible CPU cost (about 10 µs per request, plus GC).
 *
 * This swaps in an encoder constructor that takes its initial buffer from
 * Node's buffer pool without zero-filling (`Buffer.allocUnsafe`), and grows
 * the same way. That is
 * safe because an Encoder only ever exposes `buf.slice(0, offset)`: bytes it
 * wrote itself. Everything else (methods, statics, growth) is kafkajs's own.
 * It must run before kafkajs loads its protocol modules, which capture the
 * Encoder class when they load: libs/kafka imports this file first.
 * It also writes varints in place instead of through a temporary array and
 * Buffer, and sizes header encoders to the header. kafkajs is pinned to 2.2.4
 * (unmaintained since 2023); the specs prove the bytes are identical to stock.
 */
interface EncoderInstance {
  buf: Buffer;
  offset: number;
  ensureAvailable(length: number): void;
  writeUVarInt(value: number): EncoderInstance;
  writeVarIntString(value: string | null): EncoderInstance;
  writeVarIntBytes(value: Buffer | string | null): EncoderInstance;
}
interface EncoderClass {
  new (initialSize?: number): EncoderInstance;
  nextPowerOfTwo(value: number): number;
  sizeOfVarIntBytes(value: Buffer | string | null): number;
  readonly prototype: EncoderInstance;
}

const require = createRequire(import.meta.url);
const ENCODER_PATH = require.resolve('kafkajs/src/protocol/encoder');

export const StockEncoder = require(ENCODER_PATH) as EncoderClass;

function PooledEncoder(this: EncoderInstance, initialSize = 511): void {
  this.buf = Buffer.allocUnsafe(StockEncoder.nextPowerOfTwo(initialSize));
  this.offset = 0;
}
// Growth (values over the initial size, e.g. webhook bodies) takes pooled, unzeroed memory too.
const pooledPrototype = Object.create(StockEncoder.prototype) as EncoderInstance;
pooledPrototype.ensureAvailable = function ensureAvailable(
  this: EncoderInstance,
  length: number,
): void {
  if (this.offset + length <= this.buf.length) return;
  const grown = Buffer.allocUnsafe(StockEncoder.nextPowerOfTwo(this.offset + length));
  this.buf.copy(grown, 0, 0, this.offset);
  this.buf = grown;
};
// Varints straight into the buffer: the stock version builds an array and a Buffer.from per
// varint, about 30 per raw record (lengths of the key, value and every header name and value).
pooledPrototype.writeUVarInt = function writeUVarInt(this: EncoderInstance, value: number) {
  this.ensureAvailable(5);
  let rest = value;
  while ((rest & 0xffffff80) !== 0) {
    this.buf[this.offset++] = (rest & 0x7f) | 0x80;
    rest >>>= 7;
  }
  this.buf[this.offset++] = rest & 0x7f;
  return this;
};
PooledEncoder.prototype = pooledPrototype;
Object.setPrototypeOf(PooledEncoder, StockEncoder);

const cached = require.cache[ENCODER_PATH];
if (cached && cached.exports === StockEncoder) cached.exports = PooledEncoder;

export const Encoder = PooledEncoder as unknown as EncoderClass;

/**
 * A record header's encoder sized to the header (the stock one reserves 512
 * bytes per header): the same bytes, a twelfth of the pool per raw record.
 */
const HEADER_PATH = require.resolve('kafkajs/src/protocol/recordBatch/header/v0');
require(HEADER_PATH);
const headerModule = require.cache[HEADER_PATH];
if (headerModule) {
  headerModule.exports = ({ key, value }: { key: string; value: Buffer | string | null }) =>
    new Encoder(StockEncoder.sizeOfVarIntBytes(key) + StockEncoder.sizeOfVarIntBytes(value))
      .writeVarIntString(key)
      .writeVarIntBytes(value);
}
