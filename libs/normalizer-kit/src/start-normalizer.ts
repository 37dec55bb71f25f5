import 'reflect-metadata';
import { Module, type DynamicModule, type INestMicroservice, type Type } from '@nestjs/common';
import { verifiedTopic, type Source } from '@crm/contracts';
import {
  KafkaConsumerServer,
  createConsumerApp,
  createKafka,
  kafkaConfigFromEnv,
  type KafkaConfig,
} from '@crm/kafka';
import { JsonLogger, startOpsServer, type OpsServer } from '@crm/observability';
import { Registry } from 'prom-client';
import { loadDedupWindow } from './dedup-loader.js';
import { DedupWindow } from './dedup-window.js';
import { NormalizerContext } from './normalizer-context.js';
import { maxWindowMs, type NormalizerConfig } from './normalizer-config.js';
import { NormalizerMetrics } from './normalizer-metrics.js';
import type { Normalizer } from './outcome-builder.js';

@Module({})
class NormalizerModule {}

export interface NormalizerAppOptions {
  /** Service name: client id, logger name, default group `crm-<name>`. */
  readonly name: string;
  readonly sources: readonly Source[];
  readonly normalize: Normalizer;
  /** The app's controller: `@EventPattern(verifiedTopic(source))` handlers calling NormalizerContext. */
  readonly controller: Type;
  readonly config: NormalizerConfig;
  readonly groupId?: string;
  readonly opsPort?: number;
  readonly kafka?: KafkaConfig;
  /** Verified topic per source (tests use unique topics); default `crm.webhooks.verified.<source>.v1`. */
  readonly inputTopics?: Partial<Record<Source, string>>;
  readonly retryTopics?: readonly string[];
  readonly logger?: JsonLogger;
}

/** What an app's own start function leaves to its callers (tests, benchmarks): everything but its identity. */
export type NormalizerOverrides = Partial<
  Omit<NormalizerAppOptions, 'name' | 'sources' | 'normalize' | 'controller'>
>;

export interface RunningNormalizer {
  readonly app: INestMicroservice;
  readonly server: KafkaConsumerServer;
  readonly ops: OpsServer;
  readonly dedup: DedupWindow;
  close(): Promise<void>;
}

/**
 * Restores the dedup window from the events topic, then joins the consumer
 * group on the verified topic(s) and serves /healthz, /readyz, /metrics.
 */
export async function startNormalizer(options: NormalizerAppOptions): Promise<RunningNormalizer> {
  const { config, name } = options;
  const logger = options.logger ?? new JsonLogger(name);
  const kafkaConfig = options.kafka ?? kafkaConfigFromEnv(name);
  const registry = new Registry();
  const dedup = new DedupWindow(maxWindowMs(config), config.maxDedupEntries);
  const started = Date.now();
  const loaded = await loadDedupWindow(
    createKafka(kafkaConfig),
    config.eventsTopic,
    options.sources,
    dedup,
    maxWindowMs(config),
    config.readBackTimeoutMs,
  );
  logger.event('info', 'dedup window restored from the events topic', {
    ids: loaded,
    windowMs: maxWindowMs(config),
    tookMs: Date.now() - started,
  });
  const context = new NormalizerContext({
    sources: options.sources,
    normalize: options.normalize,
    config,
    dedup,
    metrics: new NormalizerMetrics(registry),
  });
  const topicAliases: Record<string, string> = {};
  for (const source of options.sources) {
    const actual = options.inputTopics?.[source] ?? config.inputTopics[source];
    if (actual) topicAliases[verifiedTopic(source)] = actual;
  }
  const server = new KafkaConsumerServer({
    clientId: name,
    groupId: options.groupId ?? config.groupId ?? `crm-${name}`,
    metrics: registry,
    kafka: kafkaConfig,
    topicAliases,
    dlqTopic: config.dlqTopic,
    ...(options.retryTopics && { retryTopics: options.retryTopics }),
  });
  const module: DynamicModule = {
    module: NormalizerModule,
    controllers: [options.controller],
    providers: [{ provide: NormalizerContext, useValue: context }],
  };
  const app = await createConsumerApp(module, server, logger);
  await app.listen();
  const ops = await startOpsServer({
    port: options.opsPort ?? 0,
    registry,
    ready: () => server.isReady(),
    live: () => server.isLive(),
  });
  logger.event('info', `${name} started`, { eventsTopic: config.eventsTopic, opsPort: ops.port });
  return {
    app,
    server,
    ops,
    dedup,
    close: async () => {
      await app.close();
      await ops.close();
    },
  };
}
