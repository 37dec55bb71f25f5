import { type Spool, type SpoolRecord, type SpooledRecord } from '../index.js';

/**
 * A deterministic record for sequence number `seq`: the key is the number, the
 * value's length and bytes derive from it, so a record read back can be checked
 * whole against the one appended.
 */
export function recordFor(seq: number, valueBytes = 100 + ((seq * 7919) % 1500)): SpoolRecord {
  const value = Buffer.allocUnsafe(valueBytes);
  for (let i = 0; i < valueBytes; i += 1) value[i] = (seq * 31 + i) & 0xff;
  return {
    key: Buffer.from(String(seq)),
    value,
    headers: { 'webhook-id': `wh-${seq}`, 'crm-kind': Buffer.from([seq & 0xff, 0, 0xff]) },
  };
}

export function seqOf(record: SpooledRecord | undefined): number {
  return Number(record?.key?.toString());
}

/** Everything `read` hands out from where the spool's read cursor is, in small batches. */
export async function readAll(
  spool: Spool,
  maxRecords = 7,
  maxBytes = 4096,
): Promise<SpooledRecord[]> {
  const records: SpooledRecord[] = [];
  for (let batch = await spool.read(maxRecords, maxBytes); batch;) {
    records.push(...batch.records);
    batch = await spool.read(maxRecords, maxBytes);
  }
  return records;
}

/** The record as appended, for deepEqual against what was read back. */
export function withoutTime(record: SpooledRecord): SpoolRecord {
  return { key: record.key, value: record.value, headers: record.headers };
}
