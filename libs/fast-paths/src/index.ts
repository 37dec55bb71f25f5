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
