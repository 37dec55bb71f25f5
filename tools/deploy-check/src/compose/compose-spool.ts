import { ingressDrainMs, ingressSetting } from '../manifests/ingress-settings.js';

/** A compose volume entry: short (`source:target[:mode]`) or long syntax. */
type VolumeEntry = string | { type?: string; source?: string; target?: string };
export interface ComposeFile {
  services: Record<
    string,
    {
      environment?: Record<string, string>;
      volumes?: VolumeEntry[];
      stop_grace_period?: string;
      hostname?: string;
    }
  >;
  volumes?: Record<string, unknown>;
}

const SPOOL_VOLUME = 'ingress-spool';
const MARGIN_MS = 5_000;
const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1e3,
  m: 6e4,
  h: 3.6e6,
};

/** A compose duration (`40s`, `1m30s`) in milliseconds; compose's default stop_grace_period is 10 s. */
export function durationMs(duration: string | undefined): number {
  if (duration === undefined) return 10_000;
  let total = 0;
  for (const [, amount = '0', unit = 's'] of duration.matchAll(
    /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g,
  ))
    total += Number(amount) * (UNIT_MS[unit] ?? 0);
  return total;
}

/** The named volume mounted at `target`, if any (bind mounts start with `.` or `/`). */
function namedVolumeAt(volumes: readonly VolumeEntry[], target: string): string | undefined {
  for (const entry of volumes) {
    if (typeof entry === 'string') {
      const [source = '', mountedAt] = entry.split(':');
      if (mountedAt === target && !/^[./~]/.test(source)) return source;
    } else if (entry.target === target && (entry.type ?? 'volume') === 'volume') {
      return entry.source;
    }
  }
  return undefined;
}

/**
 * Ingress keeps its spool on the named volume ingress-spool under a fixed hostname (so a
 * re-created container takes over the LOCK), and compose waits for its drain.
 */
export function composeSpoolProblems(compose: ComposeFile): string[] {
  const ingress = compose.services['ingress'];
  if (!ingress) return ['no ingress service'];
  const container = {
    name: 'ingress',
    env: Object.entries(ingress.environment ?? {}).map(([name, value]) => ({ name, value })),
  };
  const dir = ingressSetting(container, 'INGRESS_SPOOL_DIR');
  const problems: string[] = [];
  if (namedVolumeAt(ingress.volumes ?? [], dir) !== SPOOL_VOLUME)
    problems.push(`ingress: the named volume ${SPOOL_VOLUME} must be mounted at ${dir}`);
  if (ingress.hostname === undefined)
    problems.push(
      'ingress: needs a fixed hostname (the spool LOCK of another host is never taken over)',
    );
  if (!compose.volumes || !(SPOOL_VOLUME in compose.volumes))
    problems.push(`volumes: ${SPOOL_VOLUME} is not declared`);
  const drainMs = ingressDrainMs(container);
  const graceMs = durationMs(ingress.stop_grace_period);
  if (graceMs < drainMs + MARGIN_MS)
    problems.push(
      `ingress: stop_grace_period ${graceMs} ms does not outlast the ${drainMs} ms drain`,
    );
  return problems;
}
