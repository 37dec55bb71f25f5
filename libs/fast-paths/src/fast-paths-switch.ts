export const FAST_PATHS_VARIABLE = 'CRM_FAST_PATHS';

export type FastPathsSwitch = 'on' | 'off';

/** A CRM_FAST_PATHS value that is neither `on` nor `off`: the process should refuse to start. */
export class FastPathsSwitchError extends Error {
  readonly code = 'FAST_PATHS_SWITCH_INVALID';
  readonly retriable = false;
  override readonly name = 'FastPathsSwitchError';
}

/** `CRM_FAST_PATHS`: `on` (the default, also when unset or empty) or `off`; anything else throws. */
export function fastPathsSwitch(env: NodeJS.ProcessEnv): FastPathsSwitch {
  const value = env[FAST_PATHS_VARIABLE];
  if (value === undefined || value === '' || value === 'on') return 'on';
  if (value === 'off') return 'off';
  throw new FastPathsSwitchError(
    `${FAST_PATHS_VARIABLE} must be "on" or "off" (unset means on), not ${JSON.stringify(value)}`,
  );
}
