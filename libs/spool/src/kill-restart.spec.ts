import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { Spool } from './index.js';
import { readAll, recordFor, seqOf, withoutTime } from './test-support/records.js';
import { makeTempDir } from './test-support/temp-dir.js';

const WRITER = fileURLToPath(new URL('./test-support/spool-writer.js', import.meta.url));
const ROUNDS = 5;
const SEQ_PER_ROUND = 1_000_000;

/** What the child reported before it was killed. */
interface Reported {
  readonly acked: Set<number>;
  /** Highest sequence number whose commit resolved: the checkpoint is at least past it. */
  committedThrough: number;
  /** Highest sequence number a commit was started for: the checkpoint is at most past it. */
  committingThrough: number;
}

/**
 * Runs the writer until it has acknowledged `killAfter` appends in this round,
 * then SIGKILLs it: wherever it is, in an append's write or fsync, a read, a
 * checkpoint rename or a segment unlink.
 */
function runAndKill(
  dir: string,
  firstSeq: number,
  killAfter: number,
  reported: Reported,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [WRITER, dir, String(firstSeq)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let acks = 0;
    let pending = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (text: string) => {
      const lines = (pending + text).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const [kind, seq] = line.split(' ');
        if (kind === 'a') {
          reported.acked.add(Number(seq));
          acks += 1;
        } else if (kind === 's') {
          reported.committingThrough = Math.max(reported.committingThrough, Number(seq));
        } else if (kind === 'c') {
          reported.committedThrough = Math.max(reported.committedThrough, Number(seq));
        }
      }
      if (acks >= killAfter) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal === 'SIGKILL') resolve();
      else reject(new Error(`spool-writer exited by itself (code ${code}) after ${acks} acks`));
    });
  });
}

describe('Spool after kill -9', () => {
  it('keeps every acknowledged record exactly once, in order, from the checkpoint on', async (t) => {
    const dir = await makeTempDir(t);
    const reported: Reported = { acked: new Set(), committedThrough: -1, committingThrough: -1 };
    let torn = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      const killAfter = 50 + Math.floor(Math.random() * 1500);
      await runAndKill(dir, round * SEQ_PER_ROUND, killAfter, reported);

      const spool = await Spool.open({ dir, maxBytes: 1024 * 1024 * 1024 });
      torn += spool.recovery.tornBytes;
      const records = await readAll(spool, 500, 1024 * 1024);
      await spool.close();

      const context = `round ${round}, killed after ${killAfter} acks`;
      const seqs = records.map(seqOf);
      seqs.reduce((previous, seq) => {
        assert.ok(previous < seq, `${context}: in order, once each (${previous} then ${seq})`);
        return seq;
      }, -1);
      assert.ok(
        seqs.every((seq) => seq > reported.committedThrough),
        `${context}: nothing at or before the last resolved commit (${reported.committedThrough})`,
      );
      // The checkpoint lies between the last resolved commit and the last started one; from
      // wherever it is, every acknowledged record follows (so none past the last started commit
      // is ever missing).
      const from = Math.min(seqs[0] ?? Infinity, reported.committingThrough + 1);
      const present = new Set(seqs);
      const missing = [...reported.acked].filter((seq) => seq >= from && !present.has(seq));
      assert.deepEqual(
        missing,
        [],
        `${context}: every acknowledged record from ${from} on is there`,
      );
      for (const record of records) {
        assert.deepEqual(withoutTime(record), recordFor(seqOf(record)), `${context}: record whole`);
      }
    }
    t.diagnostic(
      `${reported.acked.size} acked over ${ROUNDS} kills, committed through ${reported.committedThrough}, ${torn} torn bytes cut`,
    );
  });
});
