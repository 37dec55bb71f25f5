/**
 * Child process for the write-failure spec: `sh -c 'ulimit -f N; exec node spool-efbig.js <dir>'`.
 * The file size limit makes a write past a small size fail with EFBIG (node
 * ignores SIGXFSZ), so appends fail midway through real writes. Appends groups
 * of concurrent records, then reads everything back, and prints one JSON line:
 * each append's outcome, the sequence numbers read and the records counted.
 */
import { Spool } from '../index.js';
import { readAll, recordFor, seqOf } from './records.js';

const GROUPS = 30;
const GROUP_SIZE = 5;

async function main(): Promise<void> {
  const [dir] = process.argv.slice(2);
  if (!dir) throw new Error('usage: spool-efbig <dir>');
  const spool = await Spool.open({ dir, maxBytes: 64 * 1024 * 1024 });
  const appended: { seq: number; code: string | undefined }[] = [];
  for (let group = 0; group < GROUPS; group += 1) {
    const seqs = Array.from({ length: GROUP_SIZE }, (_, i) => group * GROUP_SIZE + i);
    const settled = await Promise.allSettled(seqs.map((seq) => spool.append(recordFor(seq, 1000))));
    settled.forEach((result, i) => {
      const code =
        result.status === 'fulfilled' ? undefined : (result.reason as NodeJS.ErrnoException).code;
      appended.push({ seq: seqs[i] ?? -1, code });
    });
  }
  const read = (await readAll(spool)).map(seqOf);
  process.stdout.write(`${JSON.stringify({ appended, read, records: spool.records })}\n`);
  await spool.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`spool-efbig: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
