import {
  CLASS_TRANSFORMER_FAST_PATHS,
  CLASS_TRANSFORMER_GUARD,
} from './class-transformer/install-class-transformer.js';
import {
  CLASS_VALIDATOR_FAST_PATHS,
  CLASS_VALIDATOR_GUARD,
} from './class-validator/install-class-validator.js';
import type { ValidationFastPaths } from './class-validator/validation-fast-paths.js';
import type { FastPath, Library, LibraryGuard } from './fast-path.js';
import type {
  FastPathName,
  FastPathsReport,
  FastPathsWarn,
  SkippedFastPath,
} from './fast-paths-report.js';
import { fastPathsState } from './fast-paths-state.js';
import { FAST_PATHS_VARIABLE, fastPathsSwitch } from './fast-paths-switch.js';
import { installedVersion } from './installed-version.js';
import { KAFKAJS_FAST_PATHS, KAFKAJS_GUARD } from './kafkajs/install-kafkajs.js';

export interface FastPathsOptions {
  /** Where CRM_FAST_PATHS is read; default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /** Where skipped fast paths are reported; default one JSON line each on stderr. */
  readonly warn?: FastPathsWarn;
}

/** The installed libraries as installation sees them; specs substitute it to simulate others. */
export interface InstalledLibraries {
  version(library: Library): string | undefined;
}

const GUARDS: readonly LibraryGuard[] = [
  KAFKAJS_GUARD,
  CLASS_VALIDATOR_GUARD,
  CLASS_TRANSFORMER_GUARD,
];
const FAST_PATHS: readonly FastPath[] = [
  ...KAFKAJS_FAST_PATHS,
  ...CLASS_VALIDATOR_FAST_PATHS,
  ...CLASS_TRANSFORMER_FAST_PATHS,
];
const RUNTIME_LIBRARIES: InstalledLibraries = { version: installedVersion };

const warnOnStderr: FastPathsWarn = (message, fields) => {
  process.stderr.write(`${JSON.stringify({ level: 'warn', msg: message, ...fields })}\n`);
};

/**
 * Installs the replacements of kafkajs, class-validator and class-transformer
 * private code that this library holds, each only if the installed library is
 * the version it was written for and what it replaces still has the expected
 * shape; otherwise, or with CRM_FAST_PATHS=off, the stock code runs and `warn`
 * says why. Throws on a CRM_FAST_PATHS that is neither `on` nor `off`.
 *
 * The kafkajs replacements need to be in place before kafkajs loads (its
 * modules capture what they require): call this first thing in a process,
 * before anything imports kafkajs, or start node with
 * `--import @crm/fast-paths/register`. If kafkajs was loaded already they are
 * skipped, with a warning. Once per process: later calls return the first report.
 */
export function installFastPaths(options: FastPathsOptions = {}): FastPathsReport {
  return installFastPathsAgainst(RUNTIME_LIBRARIES, options);
}

export function installFastPathsAgainst(
  libraries: InstalledLibraries,
  options: FastPathsOptions = {},
): FastPathsReport {
  const state = fastPathsState();
  if (state.report) return state.report;
  const setting = fastPathsSwitch(options.env ?? process.env);
  const report: FastPathsReport =
    setting === 'off'
      ? {
          switch: 'off',
          installed: [],
          skipped: FAST_PATHS.map(({ name }) => ({
            name,
            reason: `switched off by ${FAST_PATHS_VARIABLE}=off`,
          })),
        }
      : { switch: 'on', ...installEach(libraries) };
  state.report = report;
  warnAboutSkipped(report.skipped, options.warn ?? warnOnStderr);
  return report;
}

/** The report of this process's installation, if there was one. */
export function fastPathsReport(): FastPathsReport | undefined {
  return fastPathsState().report;
}

/** The validation fast paths installed in this process: none before `installFastPaths()`, none when off. */
export function validationFastPaths(): Readonly<ValidationFastPaths> {
  return fastPathsState().validation;
}

function installEach(libraries: InstalledLibraries): Omit<FastPathsReport, 'switch'> {
  const blocked = new Map(GUARDS.map((guard) => [guard.library, whyNot(guard, libraries)]));
  const installed: FastPathName[] = [];
  const skipped: SkippedFastPath[] = [];
  for (const path of FAST_PATHS) {
    const reason =
      blocked.get(path.library) ??
      (path.needs && !installed.includes(path.needs) ? `needs ${path.needs}` : tryInstall(path));
    if (reason === undefined) installed.push(path.name);
    else skipped.push({ name: path.name, reason });
  }
  return { installed, skipped };
}

function whyNot(guard: LibraryGuard, libraries: InstalledLibraries): string | undefined {
  const version = libraries.version(guard.library);
  if (version !== guard.writtenFor)
    return `${guard.library} ${version ?? '(not found)'} is installed; these fast paths are written for ${guard.writtenFor}`;
  return guard.notReady?.();
}

function tryInstall(path: FastPath): string | undefined {
  try {
    return path.install();
  } catch (error) {
    return `checking it failed: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** One warning per distinct reason, naming the fast paths it applies to. */
function warnAboutSkipped(skipped: readonly SkippedFastPath[], warn: FastPathsWarn): void {
  const byReason = new Map<string, FastPathName[]>();
  for (const { name, reason } of skipped)
    byReason.set(reason, [...(byReason.get(reason) ?? []), name]);
  for (const [reason, fastPaths] of byReason)
    warn('fast paths skipped: the stock library code runs', { reason, fastPaths });
}
