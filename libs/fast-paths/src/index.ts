/**
 * Faster replacements of private kafkajs 2.2.4, class-validator 0.15.1 and
 * class-transformer 0.5.1 code, behind one door: nothing changes until a
 * process calls `installFastPaths()`, and importing this package loads none of
 * those libraries. A service calls it first thing in `main`, before anything
 * that imports kafkajs is loaded (import the rest dynamically after it), or is
 * started with `node --import @crm/fast-paths/register`. `CRM_FAST_PATHS=off`
 * keeps the stock code; so does a library version or shape the replacements
 * were not written for, with a warning.
 */
export {
  installFastPaths,
  fastPathsReport,
  validationFastPaths,
  type FastPathsOptions,
} from './install-fast-paths.js';
export {
  FAST_PATH_NAMES,
  type FastPathName,
  type FastPathsReport,
  type FastPathsWarn,
  type SkippedFastPath,
} from './fast-paths-report.js';
export {
  FAST_PATHS_VARIABLE,
  FastPathsSwitchError,
  fastPathsSwitch,
  type FastPathsSwitch,
} from './fast-paths-switch.js';
export type { Instantiate, ValidationFastPaths } from './class-validator/validation-fast-paths.js';
