import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { Spool } from './index.js';
import { readAll, seqOf } from './test-support/records.js';
import { makeTempDir } from './test-support/temp-dir.js';

const CHILD = fileURLToPath(new URL('./test-support/spool-efbig.js', import.meta.url));
/** In the shell's ulimit blocks (512 or 1024 bytes): a few dozen 1 KB records per file. */
const FILE_SIZE_BLOCKS = 64;
/** Appends the child makes at once (see spool-efbig.ts). */
const GROUP_SIZE = 5;

interface ChildReport {
  readonly appended: { seq: number; code: string | undefined }[];
  readonly read: number[];
  readonly records: number;
}

describe('Spool write failures', () => {
  it('rejects appends whose write fails, does not count them, and goes on in a new segment', async (t) => {
    const dir = await makeTempDir(t);
    const { stdout } = await promisify(execFile)('sh', [
      '-c',
      `ulimit -f ${FILE_SIZE_BLOCKS} && exec "$0" "$1" "$2"`,
      process.execPath,
      CHILD,
      dir,
    ]);
    const report = JSON.parse(stdout) as ChildReport;
    const failed = report.appended.filter(({ code }) => code !== undefined);
    const durable = report.appended.filter(({ code }) => code === undefined).map(({ seq }) => seq);

    assert.ok(failed.length > 0, 'some writes ran into the file size limit');
    assert.deepEqual([...new Set(failed.map(({ code }) => code))], ['EFBIG']);
    for (const { seq } of failed) {
      assert.ok(
        durable.includes(seq + GROUP_SIZE),
        `the group after failed append ${seq} is durable`,
      );
    }
    assert.deepEqual(report.read, durable, 'exactly the appends that resolved are read, in order');
    assert.equal(report.records, durable.length);

    const spool = await Spool.open({ dir, maxBytes: 64 * 1024 * 1024 });
    assert.equal(spool.recovery.tornBytes, 0, 'failed writes were cut back off their segment');
    assert.deepEqual((await readAll(spool)).map(seqOf), durable);
    await spool.close();
  });
});
