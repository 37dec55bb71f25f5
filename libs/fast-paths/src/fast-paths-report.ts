import type { FastPathsSwitch } from './fast-paths-switch.js';

/** Every replacement, in the order it is installed (later ones may build on earlier ones). */
export const FAST_PATH_NAMES = [
  'kafkajs.encoder-pool',
  'kafkajs.crc32c',
  'kafkajs.record-encoder',
  'kafkajs.produce-request',
  'kafkajs.record-decoder',
  'class-validator.metadata-cache',
  'class-validator.validation-plan',
  'class-transformer.instantiate',
] as const;
export type FastPathName = (typeof FAST_PATH_NAMES)[number];

export interface SkippedFastPath {
  readonly name: FastPathName;
  /** Why the stock code runs instead: switched off, another library version, a changed shape. */
  readonly reason: string;
}

/** What `installFastPaths()` did: every fast path is either installed or skipped with a reason. */
export interface FastPathsReport {
  readonly switch: FastPathsSwitch;
  readonly installed: readonly FastPathName[];
  readonly skipped: readonly SkippedFastPath[];
}

export type FastPathsWarn = (message: string, fields: Record<string, unknown>) => void;
