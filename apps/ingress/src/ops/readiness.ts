import 'reflect-metadata';
import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { ROOT_LOGGER, type Logger, type ServiceHealth } from '@crm/service-kit';
import { INGRESS_CONFIG, type IngressConfig } from '../config/ingress-config.js';

/**
 * Whether ingress should receive traffic: producer connected and not shutting
 * down. On shutdown it turns not-ready first and waits INGRESS_SHUTDOWN_DELAY_MS
 * (load balancers notice) before Nest closes the listener.
 */
@Injectable()
export class Readiness implements BeforeApplicationShutdown {
  producerConnected = false;
  draining = false;

  constructor(
    @Inject(INGRESS_CONFIG) private readonly config: IngressConfig,
    @Inject(ROOT_LOGGER) private readonly root: Logger,
  ) {}

  get ready(): boolean {
    return this.producerConnected && !this.draining;
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    this.draining = true;
    const delayMs = this.config.shutdownDelayMs;
    this.root.info(
      { context: Readiness.name, signal, delayMs },
      'shutting down: not ready, closing the listener after the delay',
    );
    if (delayMs > 0) await sleep(delayMs);
  }
}

/** /healthz: the process answers; /readyz: Readiness, with its two reasons. */
export function readinessHealth(readiness: Readiness): ServiceHealth {
  return {
    live: () => ({ up: true }),
    ready: () => ({
      up: readiness.ready,
      producerConnected: readiness.producerConnected,
      draining: readiness.draining,
    }),
  };
}
