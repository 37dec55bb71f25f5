import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { installedKafkajs } from '../test-support/installed-fast-paths.js';
import { seededBytes } from '../test-support/seeded-random.js';

const require = createRequire(import.meta.url);
const { crc32c, stockCrc32c } = installedKafkajs().crc32c;

describe('kafkajs CRC32C', () => {
  it('is the checksum kafkajs record batches load', () => {
    assert.equal(require('kafkajs/src/protocol/recordBatch/crc32C'), crc32c);
    assert.notEqual(crc32c, stockCrc32c);
  });

  it('gives the standard CRC-32C check value', () => {
    assert.equal(crc32c(Buffer.from('123456789')), 0xe3069283);
    assert.equal(crc32c(Buffer.alloc(0)), 0);
  });

  it('equals kafkajs at every length around the 16-byte blocks and at unaligned offsets', () => {
    const bytes = seededBytes(70_000, 7);
    for (let length = 0; length <= 100; length += 1)
      for (const start of [0, 1, 3, 13])
        assert.equal(
          crc32c(bytes.subarray(start, start + length)),
          stockCrc32c(bytes.subarray(start, start + length)),
          `length ${length} at ${start}`,
        );
    for (const length of [1_023, 4_096, 65_537])
      assert.equal(
        crc32c(bytes.subarray(5, 5 + length)),
        stockCrc32c(bytes.subarray(5, 5 + length)),
      );
  });
});
