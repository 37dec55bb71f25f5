import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { installedKafkajs } from '../test-support/installed-fast-paths.js';
import { stockKafkajsRecordEncoder, type StockRecordInput } from '../test-support/stock-kafkajs.js';

const require = createRequire(import.meta.url);
const ENCODER = require.resolve('kafkajs/src/protocol/encoder');
const installed = installedKafkajs();
const { Encoder, StockEncoder } = installed.encoderPool;
/** kafkajs's own record module as loaded after the encoder pool: on the pooled, sized encoders. */
const { stockRecordEncoder } = installed.recordEncoder;

describe('pooled kafkajs encoder', () => {
  it('is the encoder kafkajs protocol modules load', () => {
    assert.equal(require(ENCODER), Encoder);
    assert.notEqual(Encoder, StockEncoder);
    assert.ok(new Encoder() instanceof StockEncoder);
  });

  it('writes varints exactly like the stock encoder, across byte-length boundaries and signs', () => {
    const values = [
      0,
      1,
      -1,
      63,
      -64,
      64,
      127,
      128,
      8191,
      8192,
      16383,
      16384,
      2 ** 20,
      2 ** 31 - 1,
      -(2 ** 31),
    ];
    for (const value of values) {
      const pooled = new Encoder() as unknown as { writeVarInt(v: number): { buffer: Buffer } };
      const stock = new StockEncoder() as unknown as { writeVarInt(v: number): { buffer: Buffer } };
      assert.deepEqual(
        pooled.writeVarInt(value).buffer,
        stock.writeVarInt(value).buffer,
        String(value),
      );
    }
  });

  it('encodes a record with many headers byte for byte like the stock encoder', () => {
    const record: StockRecordInput = {
      offsetDelta: 7,
      timestampDelta: 1234,
      key: Buffer.from('acme-kommo'),
      // Larger than the initial 512 bytes, so the encoder grows.
      value: Buffer.concat([
        Buffer.from([0x00, 0xff, 0x0a]),
        Buffer.alloc(3_000, 0x61),
        Buffer.from('\n'),
      ]),
      headers: Object.fromEntries(
        Array.from({ length: 12 }, (_, i) => [`header-${i}`, `v${i}`.repeat(i * 40)]),
      ),
    };
    // Dirty the shared buffer pool, so unwritten pooled memory would show up in the output.
    for (let i = 0; i < 64; i += 1) Buffer.allocUnsafe(1024).fill(0xee);
    // kafkajs's own record module, running on the pooled encoder and sized header encoders.
    const pooled = stockRecordEncoder(record).buffer;
    assert.deepEqual(pooled, stockKafkajsRecordEncoder()(record).buffer);
  });
});
