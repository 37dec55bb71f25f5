import 'reflect-metadata';
import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { ROOT_LOGGER, type Logger, type ServiceHealth } from '@crm/service-kit';
import { INGRESS_CONFIG, type IngressConfig } from '../config/ingress-config.js';

/**
 * Whether ingress should receive traffic: it can make a webhook durable (the
 * producer is connected, or, with a spool, the spool has room: a pod that
 * spools while Kafka is away still takes webhooks safely) and it is not
 * shutting down. On shutdown it turns not-ready first and waits INGRESS_SHUTDOWN_DELAY_MS
 * (load balancers notice) before Nest closes the listener.
 */
@Injectable()
export class Readiness implements BeforeApplicationShutdown {
  producerConnected = false;
  draining = false;
  /** Set when a spool is open: whether Kafka or the spool can take a record now. */
  storeAvailable: (() => boolean) | undefined;

  constructor(
    @Inject(INGRESS_CONFIG) private readonly config: IngressConfig,
    @Inject(ROOT_LOGGER) private readonly root: Logger,
  ) {}

  get ready(): boolean {
    if (this.draining) return false;
    return this.storeAvailable ? this.storeAvailable() : this.producerConnected;
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
      spool: readiness.storeAvailable === undefined ? 'off' : 'on',
      draining: readiness.draining,
    }),
  };
}
