import type { INestMicroservice, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { KafkaConsumerServer } from './kafka-consumer.server.js';
import { PassThroughRpcFilter } from './pass-through-rpc.filter.js';

type ModuleClass = Parameters<typeof NestFactory.createMicroservice>[0];

/**
 * Creates a consuming service: the Kafka batch transport, the filter that
 * keeps PipelineError's code/retriable for the runtime, and shutdown hooks
 * (SIGTERM: finish the current batch, publish, commit, disconnect).
 */
export async function createConsumerApp(
  module: ModuleClass,
  server: KafkaConsumerServer,
  logger: LoggerService,
): Promise<INestMicroservice> {
  const app = await NestFactory.createMicroservice(module, { strategy: server, logger });
  app.useGlobalFilters(new PassThroughRpcFilter());
  app.enableShutdownHooks();
  return app;
}
