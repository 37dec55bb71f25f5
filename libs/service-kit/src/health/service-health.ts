/** One probe's answer: `up`, plus details shown in the /healthz or /readyz body. */
export interface HealthState {
  readonly up: boolean;
  readonly [detail: string]: unknown;
}

/**
 * What a service tells its probes. Liveness failing restarts the pod (only
 * for states a restart cures); readiness failing takes it out of service.
 */
export interface ServiceHealth {
  live(): HealthState;
  ready(): HealthState;
}

/** Injection token: each app provides its ServiceHealth under it. */
export const SERVICE_HEALTH = Symbol('SERVICE_HEALTH');

/** A Kafka consumer's health: live until it crashed for good, ready once it joined its group. */
export function consumerHealth(consumer: { isLive(): boolean; isReady(): boolean }): ServiceHealth {
  return {
    live: () => ({ up: consumer.isLive() }),
    ready: () => ({ up: consumer.isReady() }),
  };
}
