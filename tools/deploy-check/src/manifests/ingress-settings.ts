import { envValue, type Container } from './workloads.js';

/** Ingress's own defaults (apps/ingress config) for the settings the policy reads. */
const INGRESS_DEFAULTS = {
  INGRESS_SHUTDOWN_DELAY_MS: '0',
  // Unset, each source has its own store deadline (SENDER_POLICY): the longest is kommo-chat's.
  INGRESS_DEADLINE_MS: '2500',
  INGRESS_SPOOL_DIR: '/var/spool/crm-ingress',
  INGRESS_SPOOL_MAX_BYTES: String(2 ** 30),
  INGRESS_SPOOL_DRAIN_TIMEOUT_MS: '30000',
} as const;

type IngressSetting = keyof typeof INGRESS_DEFAULTS;

/** The value the ingress container runs with: its `env` entry, else ingress's default. */
export function ingressSetting(container: Container, name: IngressSetting): string {
  return envValue(container, name) ?? INGRESS_DEFAULTS[name];
}

/** The spool directory, or undefined when the spool is off (INGRESS_SPOOL_ENABLED false, or no directory). */
export function spoolDir(container: Container): string | undefined {
  if (/^(false|0|no|off)$/i.test(envValue(container, 'INGRESS_SPOOL_ENABLED') ?? ''))
    return undefined;
  const dir = ingressSetting(container, 'INGRESS_SPOOL_DIR');
  return dir === '' ? undefined : dir;
}

/**
 * The longest SIGTERM-to-exit of ingress: not ready for the shutdown delay, in-flight requests
 * within the deadline, then forwarding the spool for up to its drain timeout.
 */
export function ingressDrainMs(container: Container): number {
  const ms = (name: IngressSetting): number => Number(ingressSetting(container, name));
  const spool = spoolDir(container) === undefined ? 0 : ms('INGRESS_SPOOL_DRAIN_TIMEOUT_MS');
  return ms('INGRESS_SHUTDOWN_DELAY_MS') + ms('INGRESS_DEADLINE_MS') + spool;
}
