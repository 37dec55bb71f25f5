/**
 * `node --import @crm/fast-paths/register main.js` (or the same `--import`
 * in NODE_OPTIONS, which child processes inherit): installs the fast paths
 * before any application module loads, so before kafkajs. Honours
 * CRM_FAST_PATHS; an invalid value stops the process here. A later
 * `installFastPaths()` in the same process returns this report.
 *
 * The package exports this entry as compiled JavaScript only, under every
 * condition: node runs `--import`s from NODE_OPTIONS before those on the
 * command line, so before a TypeScript loader such as tsx is registered.
 */
import { installFastPaths } from './install-fast-paths.js';

installFastPaths();
