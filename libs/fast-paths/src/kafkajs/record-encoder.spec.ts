import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { installedKafkajs } from '../test-support/installed-fast-paths.js';
import { randomRecords } from '../test-support/random-records.js';
import { stockKafkajsRecordEncoder, type StockRecordInput } from '../test-support/stock-kafkajs.js';
import type { RecordInput } from './record-encoder.js';

const require = createRequire(import.meta.url);
const { encodeRecord } = installedKafkajs().recordEncoder;
const stock = stockKafkajsRecordEncoder();

describe('kafkajs record encoder', () => {
  it('is the record encoder kafkajs produce requests load', () => {
    assert.equal(require('kafkajs/src/protocol/recordBatch/record/v0'), encodeRecord);
  });

  it('writes the same bytes as kafkajs for a thousand random records', () => {
    for (const [index, record] of randomRecords(1_000, 42).entries())
      assert.deepEqual(
        encodeRecord(record as RecordInput).buffer,
        stock(record).buffer,
        `record ${index}`,
      );
  });

  it('writes the same bytes for defaults: no key, value, headers or deltas', () => {
    assert.deepEqual(encodeRecord({}).buffer, stock({}).buffer);
  });

  it('leaves shapes it does not model to kafkajs, errors included', () => {
    const unusual = [
      { timestampDelta: 2 ** 53, value: 'v' },
      { timestampDelta: -(2 ** 52), value: 'v' },
    ];
    for (const record of unusual)
      assert.deepEqual(encodeRecord(record).buffer, stock(record).buffer);
    const broken = { value: 'v', headers: { count: 3 } } as unknown as RecordInput;
    assert.throws(
      () => stock(broken as StockRecordInput),
      (error: unknown) => {
        assert.throws(() => encodeRecord(broken), { name: (error as Error).name });
        return true;
      },
    );
  });
});
