import assert from 'node:assert/strict';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Spool, SpoolFullError, type SpoolRecord } from './index.js';
import { readAll, recordFor, seqOf, withoutTime } from './test-support/records.js';
import { makeTempDir } from './test-support/temp-dir.js';

const MiB = 1024 * 1024;

async function segmentFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.endsWith('.seg')).sort();
}

describe('Spool round trip', () => {
  it('gives back exactly what was appended: null key/value, binary bytes, many headers', async (t) => {
    const dir = await makeTempDir(t);
    let clock = 1_700_000_000_000;
    const spool = await Spool.open({ dir, maxBytes: MiB, now: () => clock++ });
    const allBytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const manyHeaders = Object.fromEntries(
      Array.from({ length: 100 }, (_, i) => [`h-${i}`, i % 2 ? `v${i}` : Buffer.from([i, 0, 255])]),
    );
    const records: SpoolRecord[] = [
      { key: null, value: null, headers: {} },
      { key: Buffer.alloc(0), value: Buffer.alloc(0), headers: { empty: '' } },
      { key: allBytes, value: Buffer.concat([allBytes, allBytes]), headers: manyHeaders },
      {
        key: Buffer.from('k'),
        value: null,
        headers: { 'webhook-id': 'ü-€-😀', ['__proto__']: 'x' },
      },
    ];
    for (const record of records) await spool.append(record);

    const read = await readAll(spool);
    assert.deepEqual(read.map(withoutTime), records);
    assert.deepEqual(
      read.map((record) => record.appendedAtMs),
      records.map((_, i) => 1_700_000_000_000 + i),
    );
    assert.equal(typeof read[3]?.headers['__proto__'], 'string');
    assert.equal(spool.records, 4);
    assert.equal(spool.oldestAppendedAtMs, 1_700_000_000_000);
    await spool.close();
  });

  it('keeps append order across segment rolls and deletes segments once forwarded', async (t) => {
    const dir = await makeTempDir(t);
    const spool = await Spool.open({ dir, maxBytes: 10 * MiB, segmentBytes: 4096 });
    await Promise.all(Array.from({ length: 150 }, (_, seq) => spool.append(recordFor(seq))));
    for (let seq = 150; seq < 200; seq += 1) await spool.append(recordFor(seq));
    assert.ok((await segmentFiles(dir)).length > 10, 'small segments roll often');

    const read = await readAll(spool, 13, 10_000);
    assert.deepEqual(
      read.map(seqOf),
      Array.from({ length: 200 }, (_, seq) => seq),
    );
    assert.deepEqual(
      read.map(withoutTime),
      Array.from({ length: 200 }, (_, seq) => recordFor(seq)),
    );

    spool.rewind();
    const all = await spool.read(1000, 100 * MiB);
    assert.ok(all);
    assert.equal(all.records.length, 200);
    await spool.commit(all);
    assert.equal(spool.records, 0);
    assert.equal(spool.bytes, 0);
    assert.equal(spool.empty, true);
    assert.equal(spool.oldestAppendedAtMs, undefined);
    assert.equal((await segmentFiles(dir)).length, 1, 'only the segment being appended to is left');
    await spool.close();
  });

  it('counts framed bytes: a batch of everything is exactly Spool.bytes', async (t) => {
    const dir = await makeTempDir(t);
    const spool = await Spool.open({ dir, maxBytes: MiB });
    for (let seq = 0; seq < 10; seq += 1) await spool.append(recordFor(seq));
    const [segment] = await segmentFiles(dir);
    assert.ok(segment);
    assert.equal(spool.bytes, (await stat(join(dir, segment))).size);
    const batch = await spool.read(100, MiB);
    assert.equal(batch?.bytes, spool.bytes);
    await spool.close();
  });
});

describe('Spool group commit', () => {
  it('makes 1,000 concurrent appends durable with far fewer fsyncs', async (t) => {
    const dir = await makeTempDir(t);
    const fsyncs: number[] = [];
    const spool = await Spool.open({
      dir,
      maxBytes: 100 * MiB,
      onFsync: (records) => fsyncs.push(records),
    });
    const first = spool.append(recordFor(0));
    // Let the first group's write + fsync start, so the rest gather behind it.
    await new Promise((resolve) => setImmediate(resolve));
    await Promise.all([
      first,
      ...Array.from({ length: 999 }, (_, i) => spool.append(recordFor(i + 1))),
    ]);

    assert.equal(
      fsyncs.reduce((sum, records) => sum + records, 0),
      1000,
    );
    assert.ok(fsyncs.length <= 10, `${fsyncs.length} fsyncs for 1,000 appends`);
    assert.equal(spool.records, 1000);
    assert.deepEqual(
      (await readAll(spool, 500, 100 * MiB)).map(seqOf),
      Array.from({ length: 1000 }, (_, seq) => seq),
    );
    await spool.close();
  });
});

describe('Spool maxBytes', () => {
  it('rejects appends past maxBytes without writing, and accepts again once a commit frees space', async (t) => {
    const dir = await makeTempDir(t);
    const spool = await Spool.open({ dir, maxBytes: 10_000 });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, seq) => spool.append(recordFor(seq, 1000))),
    );
    const accepted = results.filter((result) => result.status === 'fulfilled').length;
    assert.ok(accepted >= 8 && accepted < 10, `${accepted} of 20 appends fit in 10,000 bytes`);
    for (const result of results.slice(accepted)) {
      assert.equal(result.status, 'rejected');
      assert.ok(result.reason instanceof SpoolFullError);
    }
    assert.ok(spool.bytes <= 10_000);
    const [segment] = await segmentFiles(dir);
    assert.ok(segment);
    const sizeWhenFull = (await stat(join(dir, segment))).size;
    await assert.rejects(spool.append(recordFor(99, 1000)), SpoolFullError);
    assert.equal(
      (await stat(join(dir, segment))).size,
      sizeWhenFull,
      'a refused append writes nothing',
    );

    const batch = await spool.read(3, 100_000);
    assert.ok(batch);
    await spool.commit(batch);
    await spool.append(recordFor(100, 1000));
    await spool.append(recordFor(101, 1000));
    assert.equal(spool.records, accepted - 3 + 2);
    await spool.close();
  });
});

describe('Spool checkpoint', () => {
  it('resumes after the committed records on reopen, with forwarded segments deleted', async (t) => {
    const dir = await makeTempDir(t);
    let clock = 0;
    const options = { dir, maxBytes: 10 * MiB, segmentBytes: 4096, now: () => (clock += 10) };
    const spool = await Spool.open(options);
    for (let seq = 0; seq < 100; seq += 1) await spool.append(recordFor(seq));
    const before = await segmentFiles(dir);
    for (let taken = 0; taken < 60;) {
      const batch = await spool.read(Math.min(7, 60 - taken), MiB);
      assert.ok(batch);
      await spool.commit(batch);
      taken += batch.records.length;
    }
    await spool.close();

    const reopened = await Spool.open(options);
    assert.equal(reopened.recovery.records, 40);
    assert.equal(reopened.records, 40);
    assert.equal(reopened.oldestAppendedAtMs, 610, 'appended 61st');
    const after = await segmentFiles(dir);
    assert.ok(after.length < before.length, 'forwarded segments are gone');
    assert.deepEqual(after, before.slice(before.length - after.length), 'only the oldest ones');
    assert.deepEqual(
      (await readAll(reopened)).map(seqOf),
      Array.from({ length: 40 }, (_, i) => 60 + i),
    );
    await reopened.close();
  });
});

describe('Spool pipelined commits', () => {
  it('resolves commits made back to back, and the checkpoint keeps the last', async (t) => {
    const dir = await makeTempDir(t);
    const spool = await Spool.open({ dir, maxBytes: MiB, segmentBytes: 2048 });
    for (let seq = 0; seq < 30; seq += 1) await spool.append(recordFor(seq));
    const batches = [];
    for (let batch = await spool.read(4, MiB); batch; batch = await spool.read(4, MiB)) {
      batches.push(batch);
    }
    await Promise.all(batches.slice(0, 6).map((batch) => spool.commit(batch)));
    assert.equal(spool.records, 6);
    await spool.close();

    const reopened = await Spool.open({ dir, maxBytes: MiB });
    assert.deepEqual((await readAll(reopened)).map(seqOf), [24, 25, 26, 27, 28, 29]);
    await reopened.close();
  });
});

describe('Spool rewind', () => {
  it('hands out the same records again after a failed batch, and never committed ones', async (t) => {
    const dir = await makeTempDir(t);
    const spool = await Spool.open({ dir, maxBytes: MiB });
    for (let seq = 0; seq < 10; seq += 1) await spool.append(recordFor(seq));
    const a = await spool.read(3, MiB);
    const b = await spool.read(3, MiB);
    assert.deepEqual(a?.records.map(seqOf), [0, 1, 2]);
    assert.deepEqual(b?.records.map(seqOf), [3, 4, 5]);

    spool.rewind();
    const again = await spool.read(5, MiB);
    assert.deepEqual(again?.records.map(seqOf), [0, 1, 2, 3, 4]);
    assert.deepEqual((await spool.read(5, MiB))?.records.map(seqOf), [5, 6, 7, 8, 9]);

    // a succeeded after all, and the re-read batch overlapping it too: each record counted once.
    assert.ok(a && again);
    await spool.commit(a);
    assert.equal(spool.records, 7);
    await spool.commit(again);
    assert.equal(spool.records, 5);
    spool.rewind();
    assert.deepEqual((await spool.read(100, MiB))?.records.map(seqOf), [5, 6, 7, 8, 9]);
    await spool.close();
  });

  it('refuses to commit a position that is not the end of one of its batches', async (t) => {
    const dir = await makeTempDir(t);
    const spool = await Spool.open({ dir, maxBytes: MiB });
    for (let seq = 0; seq < 3; seq += 1) await spool.append(recordFor(seq));
    const batch = await spool.read(1, MiB);
    assert.ok(batch);
    const inside = { ...batch, end: { ...batch.end, offset: batch.end.offset + 1 } };
    await assert.rejects(spool.commit(inside), RangeError);
    const beyond = { ...batch, end: { segment: batch.end.segment + 5, offset: 0 } };
    await assert.rejects(spool.commit(beyond), RangeError);
    assert.equal(spool.records, 3, 'a refused commit drops nothing');
    await spool.commit(batch);
    assert.equal(spool.records, 2);
    await spool.close();
  });

  it('returns at least one record even when it is larger than maxBytes', async (t) => {
    const dir = await makeTempDir(t);
    const spool = await Spool.open({ dir, maxBytes: MiB });
    await spool.append(recordFor(1, 5000));
    await spool.append(recordFor(2, 10));
    assert.deepEqual((await spool.read(10, 100))?.records.map(seqOf), [1]);
    assert.deepEqual((await spool.read(10, 100))?.records.map(seqOf), [2]);
    assert.equal(await spool.read(10, 100), undefined);
    await spool.close();
  });
});
