import type { FastPathsReport } from './fast-paths-report.js';
import type { KafkajsReplacements } from './kafkajs/kafkajs-replacements.js';
import type { ValidationFastPaths } from './class-validator/validation-fast-paths.js';

export interface FastPathsState {
  report?: FastPathsReport;
  readonly kafkajs: KafkajsReplacements;
  readonly validation: ValidationFastPaths;
}

/**
 * The replacements are process-wide (they live in the module cache and in
 * class-validator's global metadata storage), so the record of them is too: a
 * process can load this library twice (its compiled `dist` through
 * `--import @crm/fast-paths/register`, its sources under tsx), and both copies
 * must see one installation.
 */
const STATE_KEY = Symbol.for('@crm/fast-paths');

export function fastPathsState(): FastPathsState {
  const existing = Reflect.get(globalThis, STATE_KEY) as FastPathsState | undefined;
  if (existing) return existing;
  const state: FastPathsState = { kafkajs: {}, validation: {} };
  Reflect.set(globalThis, STATE_KEY, state);
  return state;
}
