/**
 * Child process for the kill -9 spec: `node spool-writer.js <dir> <firstSeq>`.
 * Appends records with rising sequence numbers from several concurrent
 * appenders and, alongside, forwards them (read, sometimes rewind, commit).
 * Prints `a <seq>` once an append resolved, `s <seq>` before committing up to
 * that record and `c <seq>` once that commit resolved; stdout to a pipe is synchronous on Linux, so a line
 * printed before the SIGKILL is never lost.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { Spool } from '../index.js';
import { recordFor, seqOf } from './records.js';

const APPENDERS = 16;
const SEGMENT_BYTES = 64 * 1024;

async function appendForever(spool: Spool, next: () => number): Promise<never> {
  for (;;) {
    const seq = next();
    await spool.append(recordFor(seq));
    process.stdout.write(`a ${seq}\n`);
  }
}

/** Two batches in flight at a time; every fifth pair "fails" and is read again. */
async function forwardForever(spool: Spool): Promise<never> {
  for (let pair = 0; ; pair += 1) {
    const first = await spool.read(20, 32 * 1024);
    const second = first && (await spool.read(20, 32 * 1024));
    if (!first) {
      await delay(1);
      continue;
    }
    if (pair % 5 === 4) {
      spool.rewind();
      continue;
    }
    for (const batch of second ? [first, second] : [first]) {
      const last = seqOf(batch.records[batch.records.length - 1]);
      process.stdout.write(`s ${last}\n`);
      await spool.commit(batch);
      process.stdout.write(`c ${last}\n`);
    }
  }
}

async function main(): Promise<void> {
  const [dir, firstSeq] = process.argv.slice(2);
  if (!dir || !firstSeq) throw new Error('usage: spool-writer <dir> <firstSeq>');
  const spool = await Spool.open({
    dir,
    maxBytes: 1024 * 1024 * 1024,
    segmentBytes: SEGMENT_BYTES,
  });
  let seq = Number(firstSeq);
  const next = (): number => seq++;
  await Promise.all([
    forwardForever(spool),
    ...Array.from({ length: APPENDERS }, () => appendForever(spool, next)),
  ]);
}

main().catch((error: unknown) => {
  process.stderr.write(`spool-writer: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
