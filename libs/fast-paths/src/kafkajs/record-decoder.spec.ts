import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { installedKafkajs } from '../test-support/installed-fast-paths.js';
import { randomRecords } from '../test-support/random-records.js';
import { stockKafkajsModule, stockKafkajsRecordEncoder } from '../test-support/stock-kafkajs.js';

const require = createRequire(import.meta.url);
const { decodeRecord, stockRecordDecoder } = installedKafkajs().recordDecoder;

interface DecoderInstance {
  offset: number;
  readVarIntBytes(): Buffer | null;
}
type DecoderClass = new (buffer: Buffer) => DecoderInstance;
const Decoder = require('kafkajs/src/protocol/decoder') as DecoderClass;
const { LOG_APPEND_TIME, CREATE_TIME } = require('kafkajs/src/protocol/timestampTypes') as {
  LOG_APPEND_TIME: number;
  CREATE_TIME: number;
};

type Decode = (decoder: DecoderInstance, context?: object) => unknown;
const ours = decodeRecord as unknown as Decode;
/** kafkajs's own decoder, as kafkajs's module exported it before the patch. */
const theirs = stockRecordDecoder as unknown as Decode;

const encodeWithLength = stockKafkajsRecordEncoder();
/** A record's bytes as a record batch hands them to the record decoder: without the length prefix. */
const encode = (record: Parameters<typeof encodeWithLength>[0]): Buffer =>
  new Decoder(encodeWithLength(record).buffer).readVarIntBytes() ?? Buffer.alloc(0);

/** Both decoders over the same bytes: same record, same position afterwards, or the same error. */
function assertSameDecoding(bytes: Buffer, context: object, label: string): void {
  const [mine, reference] = [new Decoder(bytes), new Decoder(bytes)];
  let expected: unknown;
  let expectedError: unknown;
  try {
    expected = theirs(reference, context);
  } catch (error) {
    expectedError = error;
  }
  if (expectedError !== undefined) {
    assert.throws(
      () => ours(mine, context),
      (error: unknown) =>
        error instanceof Error && error.message === (expectedError as Error).message,
      label,
    );
    return;
  }
  assert.deepStrictEqual(ours(mine, context), expected, label);
  assert.equal(mine.offset, reference.offset, `${label}: position`);
}

const CONTEXTS = [
  { firstOffset: '0', firstTimestamp: '1700000000000', magicByte: 2, timestampType: CREATE_TIME },
  {
    firstOffset: '9007199254740000',
    firstTimestamp: '-1',
    magicByte: 2,
    isControlBatch: true,
    timestampType: CREATE_TIME,
    maxTimestamp: '-1',
  },
  {
    firstOffset: '9223372036854775000',
    firstTimestamp: '9007199254740990',
    magicByte: 2,
    timestampType: CREATE_TIME,
  },
  {
    firstOffset: '42',
    firstTimestamp: '1700000000000',
    magicByte: 2,
    timestampType: LOG_APPEND_TIME,
    maxTimestamp: '1700000000999',
  },
];

/** A record's bytes written by hand, for shapes the encoder never makes. */
function rawRecord(parts: {
  timestampDelta?: number[];
  headerCount?: number;
  headers?: [string | Buffer | null, string | null][];
}): Buffer {
  const zigzag = (value: number): number[] => {
    const bytes: number[] = [];
    let rest = value >= 0 ? value * 2 : -value * 2 - 1;
    while (rest >= 0x80) {
      bytes.push((rest % 0x80) | 0x80);
      rest = Math.floor(rest / 0x80);
    }
    bytes.push(rest);
    return bytes;
  };
  const text = (value: string | Buffer | null): number[] =>
    value === null ? zigzag(-1) : [...zigzag(Buffer.byteLength(value)), ...Buffer.from(value)];
  const headers = parts.headers ?? [];
  return Buffer.from([
    0,
    ...(parts.timestampDelta ?? [0]),
    ...zigzag(3),
    ...text('key'),
    ...text('value'),
    ...zigzag(parts.headerCount ?? headers.length),
    ...headers.flatMap(([name, value]) => [...text(name), ...text(value)]),
  ]);
}

describe('kafkajs record decoder', () => {
  it('is the record decoder kafkajs record batches load', () => {
    assert.equal(require('kafkajs/src/protocol/recordBatch/record/v0/decoder'), decodeRecord);
  });

  it('decodes a thousand random records exactly like kafkajs, in every batch context', () => {
    for (const [index, record] of randomRecords(1_000, 7).entries())
      for (const [contextIndex, context] of CONTEXTS.entries())
        assertSameDecoding(encode(record), context, `record ${index}, context ${contextIndex}`);
  });

  it('keeps kafkajs quirks for header names objects inherit, duplicates and null names', () => {
    const names = ['toString', '__proto__', 'constructor', 'hasOwnProperty', 'valueOf', 'null'];
    for (const name of names) {
      const bytes = rawRecord({
        headers: [
          [name, 'a'],
          ['plain', 'b'],
          [name, 'c'],
        ],
      });
      assertSameDecoding(bytes, CONTEXTS[0] ?? {}, name);
    }
    const repeated = rawRecord({
      headers: [
        ['x', '1'],
        ['y', null],
        ['x', '2'],
        [null, 'n'],
        ['x', '3'],
        ['1', 'numeric'],
      ],
    });
    assertSameDecoding(repeated, CONTEXTS[0] ?? {}, 'repeated names');
    const lengths = rawRecord({
      headers: [
        ['', 'empty name'],
        ['n'.repeat(47), 'short'],
        ['n'.repeat(48), 'at the bound'],
        ['n'.repeat(49), 'past the bound'],
        ['n'.repeat(200), 'two-byte length'],
        ['имя', 'not ascii'],
        ['x\u007f', 'del'],
        [Buffer.from([0x61, 0x80, 0x62]), 'invalid utf-8'],
      ],
    });
    assertSameDecoding(lengths, CONTEXTS[0] ?? {}, 'name lengths');
  });

  it('leaves long timestamp deltas, odd header counts and missing contexts to kafkajs', () => {
    const longDeltas = [
      [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
      [0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
      [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01],
      [0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00],
    ];
    for (const delta of longDeltas)
      for (const context of CONTEXTS)
        assertSameDecoding(rawRecord({ timestampDelta: delta }), context, `delta ${delta.join()}`);
    for (const headerCount of [-1, -2, 0, 300])
      assertSameDecoding(rawRecord({ headerCount }), CONTEXTS[0] ?? {}, `count ${headerCount}`);
    const bytes = encode({ key: 'k', value: 'v', headers: { a: 'b' } });
    assertSameDecoding(bytes, {}, 'no context');
    assertSameDecoding(bytes, { firstOffset: '1e3', firstTimestamp: '0' }, 'offset not decimal');
    assertSameDecoding(bytes.subarray(0, 5), CONTEXTS[0] ?? {}, 'truncated');
  });

  it('keeps nothing of a record whose headers failed to decode for the next record', () => {
    const bytes = rawRecord({
      headers: [
        ['secret', 'a'],
        ['b', 'z'],
        ['c', null],
      ],
    });
    const failing = new Decoder(bytes) as DecoderInstance & { readVarIntBytes(): Buffer | null };
    const read = failing.readVarIntBytes.bind(failing);
    let calls = 0;
    failing.readVarIntBytes = () => {
      calls += 1;
      // key, value, first header value pass; the second header value fails
      if (calls === 4) throw new Error('decoder failed mid-headers');
      return read();
    };
    assert.throws(() => ours(failing, CONTEXTS[0]), /decoder failed mid-headers/);
    const clean = rawRecord({ headers: [['c', 'z']] });
    assertSameDecoding(clean, CONTEXTS[0] ?? {}, 'record after a failed one');
  });

  it('decodes whole record batches, plain and gzip, like kafkajs', async () => {
    type BatchEncoder = (batch: object) => Promise<{ buffer: Buffer }>;
    type BatchDecoder = (decoder: DecoderInstance) => Promise<unknown>;
    const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0') as {
      RecordBatch: BatchEncoder;
    };
    const patchedBatchDecoder =
      require('kafkajs/src/protocol/recordBatch/v0/decoder') as BatchDecoder;
    const stockBatchDecoder = stockKafkajsModule<BatchDecoder>(
      'kafkajs/src/protocol/recordBatch/v0/decoder',
    );
    const Record = require('kafkajs/src/protocol/recordBatch/record/v0') as (
      record: object,
    ) => unknown;
    const records = randomRecords(60, 11).map((record, offsetDelta) =>
      Record({ ...record, offsetDelta, timestampDelta: offsetDelta * 3 }),
    );
    for (const compression of [0, 1]) {
      const batch = await RecordBatch({
        compression,
        firstOffset: 1_000,
        firstTimestamp: 1_700_000_000_000,
        maxTimestamp: 1_700_000_000_180,
        lastOffsetDelta: records.length - 1,
        records,
      });
      const [mine, reference] = await Promise.all([
        patchedBatchDecoder(new Decoder(batch.buffer)),
        stockBatchDecoder(new Decoder(batch.buffer)),
      ]);
      assert.deepStrictEqual(mine, reference, `compression ${compression}`);
      assert.equal((mine as { records: unknown[] }).records.length, records.length);
    }
  });
});
