import 'reflect-metadata';
import type { INestMicroservice } from '@nestjs/common';
import { ConnectionsRegistry } from '@crm/connections';
import { TOPICS } from '@crm/contracts';
import { KafkaConsumerServer, createConsumerApp, type KafkaConfig } from '@crm/kafka';
import { JsonLogger, startOpsServer, type OpsServer } from '@crm/observability';
import { Registry } from 'prom-client';
import type { VerifierConfig } from '../config/verifier-config.js';
import { VerificationStore } from '../verify/verification-store.js';
import { VerifierMetrics } from '../verify/verifier-metrics.js';
import { VerifyService } from '../verify/verify.service.js';
import { ShutdownTasks, VerifierModule } from './verifier.module.js';

export interface RunningVerifier {
  readonly app: INestMicroservice;
  readonly server: KafkaConsumerServer;
  readonly ops: OpsServer;
  readonly metrics: Registry;
  /** Stops consuming (the current slice is published and committed first), then the ops server and watcher. */
  close(): Promise<void>;
}

export interface StartOptions {
  /** Kafka client settings (default: from KAFKA_BROKERS and friends). */
  readonly kafka?: KafkaConfig;
  readonly logger?: JsonLogger;
}

/**
 * Loads the connections registry (an invalid file stops the start), then
 * joins the consumer group on the raw topic and serves /healthz, /readyz, /metrics.
 */
export async function startVerifier(
  config: VerifierConfig,
  options: StartOptions = {},
): Promise<RunningVerifier> {
  const logger = options.logger ?? new JsonLogger('verifier');
  const registry = await ConnectionsRegistry.load(config.connectionsFile, {
    watch: true,
    logger: {
      log: (msg) => logger.event('info', msg),
      warn: (msg) => logger.event('warn', msg),
      error: (msg) => logger.event('error', msg),
    },
  });
  const metrics = new Registry();
  const verifierMetrics = new VerifierMetrics(metrics);
  const store = new VerificationStore(registry);
  verifierMetrics.connections.set(store.size);
  registry.onReload(() => verifierMetrics.connections.set(store.size));
  const service = new VerifyService(store, verifierMetrics, {
    topics: config.topics,
    verify: {
      chatToleranceSeconds: config.chatToleranceSeconds,
      chatTrailingNewlineFallback: config.chatTrailingNewlineFallback,
    },
  });
  const server = new KafkaConsumerServer({
    clientId: 'verifier',
    groupId: config.groupId,
    metrics,
    ...(options.kafka && { kafka: options.kafka }),
    topicAliases: { [TOPICS.raw]: config.topics.raw },
    ...(config.topics.retry && { retryTopics: config.topics.retry }),
    ...(config.topics.dlq && { dlqTopic: config.topics.dlq }),
  });
  const shutdown = new ShutdownTasks();
  shutdown.add(() => registry.close());
  shutdown.add(() => store.close());
  const app = await createConsumerApp(VerifierModule.forRoot(service, shutdown), server, logger);
  await app.listen();
  const ops = await startOpsServer({
    port: config.opsPort,
    registry: metrics,
    ready: () => server.isReady(),
    live: () => server.isLive(),
  });
  shutdown.add(() => ops.close());
  logger.event('info', 'verifier started', {
    group: config.groupId,
    rawTopic: config.topics.raw,
    connections: store.size,
    opsPort: ops.port,
  });
  return { app, server, ops, metrics, close: () => app.close() };
}
