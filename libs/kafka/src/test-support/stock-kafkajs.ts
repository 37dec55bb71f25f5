/**
 * The record shape `random-records.ts` generates. The kafkajs comparisons that used both
 * (and the stock-kafkajs loader that lived here) moved to @crm/fast-paths with the fast paths;
 * this stays only while random-records.ts, which nothing here uses any more, does.
 */
export interface StockRecordInput {
  offsetDelta?: number;
  timestampDelta?: number;
  key?: Buffer | string | null;
  value?: Buffer | string | null;
  headers?: Record<string, Buffer | string | (Buffer | string)[]>;
}
