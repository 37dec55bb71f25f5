import 'reflect-metadata';
import { Module, type DynamicModule } from '@nestjs/common';
import { ConnectionsRegistry } from '@crm/connections';
import { Registry } from 'prom-client';
import {
  ConnectionsModule,
  SERVICE_HEALTH,
  ServiceModule,
  type ServiceModuleOptions,
} from '@crm/service-kit';
import {
  INGRESS_CONFIG,
  IngressEnvironment,
  ingressConfig,
  type IngressConfig,
} from '../config/ingress-config.js';
import { RawRecordStore } from '../kafka/raw-record-store.js';
import { RateLimiter } from '../limits/rate-limiter.js';
import { UnauthenticatedLimiter } from '../limits/unauthenticated-limiter.js';
import { IngressMetrics } from '../ops/ingress-metrics.js';
import { Readiness, readinessHealth } from '../ops/readiness.js';
import { CredentialIndex } from '../webhooks/credential-index.js';
import { WebhookIntakeController } from '../webhooks/webhook-intake.controller.js';
import { WebhookIntakeService } from '../webhooks/webhook-intake.service.js';

/**
 * Ingress's Kafka client waits at most a second between attempts (kafkajs
 * doubles the wait up to 30 s by default). While Kafka is away every webhook is
 * spooled anyway, so the retries cost nothing but a connect attempt a second,
 * and when the cluster returns the producer finds it within a second instead of
 * up to half a minute later: the spool drains that much sooner. Measured with
 * the chaos smoke (every broker killed for 20 s): forwarding used to begin
 * 20-60 s after the cluster was back.
 */
export const INGRESS_KAFKA_RETRY = { initialRetryTime: 100, maxRetryTime: 1_000, retries: 10 };

/** Ingress: webhook requests in, durable raw records in Kafka out. */
@Module({})
export class IngressModule {
  static forRoot(options: ServiceModuleOptions<IngressEnvironment>): DynamicModule {
    return {
      module: IngressModule,
      imports: [
        ServiceModule.forRoot({ ...options, kafkaRetry: INGRESS_KAFKA_RETRY }),
        ConnectionsModule.forRoot(),
      ],
      controllers: [WebhookIntakeController],
      providers: [
        { provide: INGRESS_CONFIG, inject: [IngressEnvironment], useFactory: ingressConfig },
        Readiness,
        { provide: SERVICE_HEALTH, inject: [Readiness], useFactory: readinessHealth },
        {
          provide: IngressMetrics,
          inject: [Registry, ConnectionsRegistry],
          useFactory: (registry: Registry, connections: ConnectionsRegistry) => {
            const metrics = new IngressMetrics(registry);
            metrics.expectIntervals(connections.all());
            connections.onReload((all) => metrics.expectIntervals(all));
            return metrics;
          },
        },
        {
          provide: RateLimiter,
          inject: [INGRESS_CONFIG, ConnectionsRegistry],
          useFactory: (config: IngressConfig, connections: ConnectionsRegistry) => {
            const limiter = new RateLimiter(config.defaultRateLimit);
            connections.onReload((all) => limiter.reconcile(all));
            return limiter;
          },
        },
        {
          provide: UnauthenticatedLimiter,
          inject: [INGRESS_CONFIG, ConnectionsRegistry],
          useFactory: (config: IngressConfig, connections: ConnectionsRegistry) => {
            const limiter = new UnauthenticatedLimiter(config.unauthenticatedLimits);
            connections.onReload((all) => limiter.reconcile(all.map((c) => c.id)));
            return limiter;
          },
        },
        {
          provide: CredentialIndex,
          inject: [ConnectionsRegistry],
          useFactory: (connections: ConnectionsRegistry) => new CredentialIndex(connections),
        },
        RawRecordStore,
        WebhookIntakeService,
      ],
    };
  }
}
