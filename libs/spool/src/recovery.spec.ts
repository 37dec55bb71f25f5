import assert from 'node:assert/strict';
import { appendFile, readFile, readdir, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Spool } from './index.js';
import { readAll, recordFor, seqOf, withoutTime } from './test-support/records.js';
import { makeTempDir } from './test-support/temp-dir.js';

const MiB = 1024 * 1024;

async function segmentPaths(dir: string): Promise<string[]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.seg')).sort();
  return names.map((name) => join(dir, name));
}

/** A closed spool holding records 0..count-1, and the size of its last frame. */
async function spoolWith(dir: string, count: number, segmentBytes?: number): Promise<number> {
  const spool = await Spool.open({ dir, maxBytes: 10 * MiB, segmentBytes });
  let lastFrame = 0;
  for (let seq = 0; seq < count; seq += 1) {
    const before = spool.bytes;
    await spool.append(recordFor(seq));
    lastFrame = spool.bytes - before;
  }
  await spool.close();
  return lastFrame;
}

async function flipByte(path: string, fromEnd: number): Promise<void> {
  const bytes = await readFile(path);
  const at = bytes.length - fromEnd;
  bytes[at] = (bytes[at] ?? 0) ^ 0xff;
  await writeFile(path, bytes);
}

const TORN_TAILS: {
  name: string;
  intact: number;
  tear: (segment: string, lastFrame: number) => Promise<void>;
}[] = [
  {
    name: 'a truncation in the middle of the last frame',
    intact: 19,
    tear: async (segment, lastFrame) =>
      truncate(segment, (await stat(segment)).size - Math.floor(lastFrame / 2)),
  },
  {
    name: 'a truncation inside the last frame header',
    intact: 19,
    tear: async (segment, lastFrame) =>
      truncate(segment, (await stat(segment)).size - lastFrame + 5),
  },
  {
    name: 'a flipped byte in the last payload',
    intact: 19,
    tear: (segment) => flipByte(segment, 3),
  },
  {
    name: 'garbage appended after the last frame',
    intact: 20,
    tear: (segment) => appendFile(segment, Buffer.alloc(37, 0xab)),
  },
  {
    name: 'zeros appended (a preallocated tail)',
    intact: 20,
    tear: (segment) => appendFile(segment, Buffer.alloc(4096)),
  },
];

describe('Spool recovery of torn tails', () => {
  for (const { name, intact, tear } of TORN_TAILS) {
    it(`reads exactly the intact records after ${name}, then new appends after them`, async (t) => {
      const dir = await makeTempDir(t);
      const lastFrame = await spoolWith(dir, 20);
      const [segment] = await segmentPaths(dir);
      assert.ok(segment);
      const intactSize = (await stat(segment)).size - (intact === 20 ? 0 : lastFrame);
      await tear(segment, lastFrame);

      const spool = await Spool.open({ dir, maxBytes: 10 * MiB });
      assert.ok(spool.recovery.tornBytes > 0);
      assert.equal(spool.recovery.tornSegments, 1);
      assert.equal(spool.recovery.records, intact);
      assert.equal((await stat(segment)).size, intactSize, 'the torn tail is cut off the file');
      await spool.append(recordFor(100));
      await spool.append(recordFor(101));
      const read = await readAll(spool);
      const expected = [...Array.from({ length: intact }, (_, seq) => seq), 100, 101];
      assert.deepEqual(read.map(seqOf), expected);
      assert.deepEqual(
        read.map(withoutTime),
        expected.map((seq) => recordFor(seq)),
      );
      await spool.close();

      const again = await Spool.open({ dir, maxBytes: 10 * MiB });
      assert.equal(again.recovery.tornBytes, 0, 'nothing is torn once cut');
      assert.deepEqual((await readAll(again)).map(seqOf), expected);
      await again.close();
    });
  }

  it('cuts a torn earlier segment and goes on with the next one', async (t) => {
    const dir = await makeTempDir(t);
    await spoolWith(dir, 30, 8 * 1024);
    const spool = await Spool.open({ dir, maxBytes: 10 * MiB });
    const placed: { seq: number; segment: number }[] = [];
    for (let batch = await spool.read(1, 1); batch; batch = await spool.read(1, 1)) {
      for (const record of batch.records)
        placed.push({ seq: seqOf(record), segment: batch.end.segment });
    }
    await spool.close();
    const firstSegment = placed[0]?.segment;
    const lastOfFirst = placed.filter(({ segment }) => segment === firstSegment).at(-1)?.seq;
    assert.ok(lastOfFirst !== undefined && lastOfFirst < 29, 'the records span several segments');
    const [first] = await segmentPaths(dir);
    assert.ok(first);
    await flipByte(first, 3);

    const reopened = await Spool.open({ dir, maxBytes: 10 * MiB });
    assert.equal(reopened.recovery.tornSegments, 1);
    assert.deepEqual(
      (await readAll(reopened)).map(seqOf),
      placed.map(({ seq }) => seq).filter((seq) => seq !== lastOfFirst),
      'only the last record of the first segment is lost',
    );
    await reopened.close();
  });

  it('starts at the oldest segment when the checkpoint is corrupt', async (t) => {
    const dir = await makeTempDir(t);
    await spoolWith(dir, 10);
    const spool = await Spool.open({ dir, maxBytes: 10 * MiB });
    const batch = await spool.read(4, MiB);
    assert.ok(batch);
    await spool.commit(batch);
    await spool.close();
    await writeFile(join(dir, 'checkpoint'), '{"segment": "x"');

    const reopened = await Spool.open({ dir, maxBytes: 10 * MiB });
    assert.deepEqual(
      (await readAll(reopened)).map(seqOf),
      Array.from({ length: 10 }, (_, seq) => seq),
    );
    await reopened.close();
  });
});
