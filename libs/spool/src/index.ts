export { Spool } from './spool.js';
export { SpoolClosedError, SpoolFullError, SpoolLockedError, SpoolOpenError } from './errors.js';
export { CorruptFrameError } from './frame.js';
export type {
  SpoolBatch,
  SpoolOptions,
  SpoolPosition,
  SpoolRecord,
  SpoolRecovery,
  SpooledRecord,
} from './spool-record.js';
