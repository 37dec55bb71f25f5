import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FRAME_HEADER_BYTES, checkFrame, decodeFrame, encodeFrame } from './frame.js';
import { type SpoolRecord } from './spool-record.js';

const SAMPLE: SpoolRecord = {
  key: Buffer.from('order-1'),
  value: Buffer.from([0, 1, 2, 255, 254, 0]),
  headers: { 'webhook-id': 'wh-1', raw: Buffer.from([0xde, 0xad]), 'ünï-cødé': '€😀' },
};

const RECORDS: { name: string; record: SpoolRecord }[] = [
  { name: 'null key and value, no headers', record: { key: null, value: null, headers: {} } },
  {
    name: 'empty (not null) key and value',
    record: { key: Buffer.alloc(0), value: Buffer.alloc(0), headers: { '': '' } },
  },
  { name: 'binary value, string and Buffer headers', record: SAMPLE },
];

describe('frame codec', () => {
  for (const { name, record } of RECORDS) {
    it(`round-trips ${name}, keeping Buffer vs string headers`, () => {
      const frame = encodeFrame(record, 1_700_000_000_123);
      const check = checkFrame(frame, 0, frame.length);
      assert.deepEqual(check, {
        ok: true,
        frameBytes: frame.length,
        appendedAtMs: 1_700_000_000_123,
      });
      assert.deepEqual(decodeFrame(frame, 0), { ...record, appendedAtMs: 1_700_000_000_123 });
    });
  }

  it('decodes a frame in the middle of a chunk', () => {
    const frames = RECORDS.map(({ record }, i) => encodeFrame(record, i));
    const chunk = Buffer.concat(frames);
    const second = frames[0]?.length ?? 0;
    assert.deepEqual(decodeFrame(chunk, second), { ...RECORDS[1]?.record, appendedAtMs: 1 });
  });

  const frame = encodeFrame(SAMPLE, 5);
  const damaged = (change: (copy: Buffer) => void): Buffer => {
    const copy = Buffer.from(frame);
    change(copy);
    return copy;
  };
  const flip = (at: number) => damaged((copy) => (copy[at] = (copy[at] ?? 0) ^ 1));
  const CASES: { name: string; chunk: Buffer; available: number; reason: string }[] = [
    {
      name: 'a wrong magic',
      chunk: damaged((b) => (b[0] = 0)),
      available: frame.length,
      reason: 'magic',
    },
    {
      name: 'a flipped payload byte',
      chunk: flip(frame.length - 1),
      available: frame.length,
      reason: 'crc',
    },
    { name: 'a flipped CRC byte', chunk: flip(8), available: frame.length, reason: 'crc' },
    {
      name: 'a length past the end of the file',
      chunk: frame,
      available: frame.length - 1,
      reason: 'length',
    },
    {
      name: 'a header cut short by the end of the file',
      chunk: frame,
      available: FRAME_HEADER_BYTES - 1,
      reason: 'length',
    },
    {
      name: 'a length too small for any record',
      chunk: damaged((b) => b.writeUInt32LE(3, 4)),
      available: frame.length,
      reason: 'length',
    },
    {
      name: 'a chunk that ends before the frame',
      chunk: frame.subarray(0, 20),
      available: frame.length,
      reason: 'short',
    },
  ];
  for (const { name, chunk, available, reason } of CASES) {
    it(`reports ${name} as ${reason}`, () => {
      const check = checkFrame(chunk, 0, available);
      assert.equal(check.ok, false);
      assert.equal(check.ok ? undefined : check.reason, reason);
    });
  }
});
