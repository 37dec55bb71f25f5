import type { INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type KafkaConsumerServer, PassThroughRpcFilter } from '@crm/kafka';
import { createNestLogger, createRootLogger, type LogLevelName } from '@crm/service-kit';

type ModuleClass = Parameters<typeof NestFactory.createMicroservice>[0];

/**
 * A bare consuming Nest app around a test module: the Kafka batch transport
 * and the filter that keeps PipelineError's code/retriable for the runtime,
 * as services have them, logging in the services' format.
 */
export async function createConsumerApp(
  module: ModuleClass,
  server: KafkaConsumerServer,
  name: string,
  level: LogLevelName = 'warn',
): Promise<INestMicroservice> {
  const app = await NestFactory.createMicroservice(module, {
    strategy: server,
    logger: createNestLogger(createRootLogger(name, level)),
  });
  app.useGlobalFilters(new PassThroughRpcFilter());
  return app;
}
