import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { verifiedTopic, type Source } from '@crm/contracts';
import { KafkaConsumerServer, type Kafka } from '@crm/kafka';
import {
  KAFKA_CLIENT,
  SERVICE_HEALTH,
  ServiceModule,
  consumerHealth,
  type ServiceModuleOptions,
} from '@crm/service-kit';
import { Registry } from 'prom-client';
import { restoreDedupWindow } from './dedup-loader.js';
import { restoreRetrySuppressor } from './retry-restore.js';
import { RetrySuppressor } from './retry-suppressor.js';
import { DedupWindow } from './dedup-window.js';
import { NormalizerContext } from './normalizer-context.js';
import {
  normalizerConfig,
  type NormalizerConfig,
  type NormalizerEnvironment,
} from './normalizer-config.js';
import { NormalizerMetrics } from './normalizer-metrics.js';
import type { Normalizer } from './outcome-builder.js';

/** Injection token of the app's NormalizerConfig. */
export const NORMALIZER_CONFIG = Symbol('NORMALIZER_CONFIG');

/** What makes one normalizer app different from the others. */
export interface NormalizerApp {
  /** The sources it handles: its verified topics and the ce_sources its dedup window restores. */
  readonly sources: readonly Source[];
  readonly normalize: Normalizer;
  /** `@EventPattern(verifiedTopic(source))` handlers that call NormalizerContext. */
  readonly controller: Type;
}

/** `@EventPattern` topic -> topic consumed, for the sources whose input topic is overridden. */
function topicAliases(config: NormalizerConfig): Record<string, string> {
  const aliases: Record<string, string> = {};
  for (const [source, topic] of Object.entries(config.inputTopics) as [Source, string][])
    aliases[verifiedTopic(source)] = topic;
  return aliases;
}

/**
 * A normalizer: verified webhook records in, canonical events and dead letters
 * out. The dedup window is restored from the events topic while the container
 * is built, so before the consumer joins its group.
 */
@Module({})
export class NormalizerModule {
  static forRoot<E extends NormalizerEnvironment>(
    options: ServiceModuleOptions<E>,
    app: NormalizerApp,
  ): DynamicModule {
    const { name } = options;
    return {
      module: NormalizerModule,
      imports: [ServiceModule.forRoot(options)],
      controllers: [app.controller],
      providers: [
        {
          provide: NORMALIZER_CONFIG,
          inject: [options.env.constructor],
          useFactory: (env: E) => normalizerConfig(env, name, app.sources),
        },
        {
          provide: DedupWindow,
          inject: [KAFKA_CLIENT, NORMALIZER_CONFIG],
          useFactory: (kafka: Kafka, config: NormalizerConfig) =>
            restoreDedupWindow(kafka, config, app.sources),
        },
        {
          provide: RetrySuppressor,
          inject: [KAFKA_CLIENT, NORMALIZER_CONFIG],
          useFactory: (kafka: Kafka, config: NormalizerConfig) =>
            restoreRetrySuppressor(kafka, config, app.sources),
        },
        {
          provide: NormalizerMetrics,
          inject: [Registry],
          useFactory: (registry: Registry) => new NormalizerMetrics(registry),
        },
        {
          provide: NormalizerContext,
          inject: [NORMALIZER_CONFIG, DedupWindow, RetrySuppressor, NormalizerMetrics],
          useFactory: (
            config: NormalizerConfig,
            dedup: DedupWindow,
            suppressor: RetrySuppressor,
            metrics: NormalizerMetrics,
          ) =>
            new NormalizerContext({
              sources: app.sources,
              normalize: app.normalize,
              config,
              dedup,
              suppressor,
              metrics,
            }),
        },
        {
          provide: KafkaConsumerServer,
          inject: [KAFKA_CLIENT, Registry, NORMALIZER_CONFIG],
          useFactory: (client: Kafka, registry: Registry, config: NormalizerConfig) =>
            new KafkaConsumerServer({
              clientId: name,
              client,
              groupId: config.groupId,
              metrics: registry,
              topicAliases: topicAliases(config),
              dlqTopic: config.dlqTopic,
              ...(config.retryTopics && { retryTopics: config.retryTopics }),
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
