import { Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { ConnectionsRegistry, type ResolvedConnection } from '@crm/connections';
import { TOPICS } from '@crm/contracts';
import { KafkaConsumerServer, type Kafka } from '@crm/kafka';
import {
  ConnectionsModule,
  KAFKA_CLIENT,
  SERVICE_HEALTH,
  ServiceModule,
  consumerHealth,
  type ServiceModuleOptions,
} from '@crm/service-kit';
import { Registry } from 'prom-client';
import {
  VerifierEnvironment,
  verifierConfig,
  type VerifierConfig,
} from '../config/verifier-config.js';
import { RawWebhookVerifierController } from '../verify/raw-webhook-verifier.controller.js';
import { VerificationStore } from '../verify/verification-store.js';
import { VerifierMetrics } from '../verify/verifier-metrics.js';
import { VerifyService } from '../verify/verify.service.js';

const VERIFIER_CONFIG = Symbol('VERIFIER_CONFIG');

/** The store follows the registry's reloads until shutdown. */
class VerificationStoreLifecycle implements OnApplicationShutdown {
  constructor(private readonly store: VerificationStore) {}

  onApplicationShutdown(): void {
    this.store.close();
  }
}

/** The verifier: raw webhook records in, one verdict record each out. */
@Module({})
export class VerifierModule {
  static forRoot(options: ServiceModuleOptions<VerifierEnvironment>): DynamicModule {
    return {
      module: VerifierModule,
      imports: [ServiceModule.forRoot(options), ConnectionsModule.forRoot()],
      controllers: [RawWebhookVerifierController],
      providers: [
        {
          provide: VERIFIER_CONFIG,
          inject: [VerifierEnvironment],
          useFactory: verifierConfig,
        },
        {
          provide: VerificationStore,
          inject: [ConnectionsRegistry],
          useFactory: (registry: ConnectionsRegistry) => new VerificationStore(registry),
        },
        {
          provide: VerificationStoreLifecycle,
          inject: [VerificationStore],
          useFactory: (store: VerificationStore) => new VerificationStoreLifecycle(store),
        },
        {
          provide: VerifierMetrics,
          inject: [Registry, VerificationStore, ConnectionsRegistry],
          useFactory: (
            registry: Registry,
            store: VerificationStore,
            connections: ConnectionsRegistry,
          ) => {
            const metrics = new VerifierMetrics(registry);
            const loaded = (list: readonly ResolvedConnection[]): void => {
              metrics.connections.set(store.size);
              metrics.connectionsLoaded(list);
            };
            loaded(connections.all());
            connections.onReload(loaded);
            return metrics;
          },
        },
        {
          provide: VerifyService,
          inject: [VerificationStore, VerifierMetrics, VERIFIER_CONFIG],
          useFactory: (
            store: VerificationStore,
            metrics: VerifierMetrics,
            config: VerifierConfig,
          ) =>
            new VerifyService(store, metrics, {
              topics: config.topics,
              verify: {
                chatToleranceSeconds: config.chatToleranceSeconds,
                chatTrailingNewlineFallback: config.chatTrailingNewlineFallback,
              },
            }),
        },
        {
          provide: KafkaConsumerServer,
          inject: [KAFKA_CLIENT, Registry, VERIFIER_CONFIG, VerificationStore],
          useFactory: (
            client: Kafka,
            registry: Registry,
            config: VerifierConfig,
            store: VerificationStore,
          ) =>
            new KafkaConsumerServer({
              clientId: options.name,
              client,
              groupId: config.groupId,
              metrics: registry,
              topicAliases: { [TOPICS.raw]: config.topics.raw },
              ...(config.topics.retry && { retryTopics: config.topics.retry }),
              ...(config.topics.dlq && { dlqTopic: config.topics.dlq }),
              isConfiguredConnection: (id) => store.get(id) !== undefined,
            }),
        },
        {
          provide: SERVICE_HEALTH,
          inject: [KafkaConsumerServer],
          useFactory: consumerHealth,
        },
      ],
    };
  }
}
