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
 * kafkajs is pinned to 2.2.4 (unmaintained since 2023); the spec proves the
 * bytes produced are identical to the stock encoder's.
 */
interface EncoderInstance {
  buf: Buffer;
  offset: number;
  ensureAvailable(length: number): void;
}
interface EncoderClass {
  new (initialSize?: number): EncoderInstance;
  nextPowerOfTwo(value: number): number;
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
PooledEncoder.prototype = pooledPrototype;
Object.setPrototypeOf(PooledEncoder, StockEncoder);

const cached = require.cache[ENCODER_PATH];
if (cached && cached.exports === StockEncoder) cached.exports = PooledEncoder;

export const Encoder = PooledEncoder as unknown as EncoderClass;
