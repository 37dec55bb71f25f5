import 'reflect-metadata';
import {
  Controller,
  Inject,
  Module,
  type DynamicModule,
  type INestMicroservice,
} from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import {
  KafkaConsumerServer,
  type ConsumerServerOptions,
  type HandlerResult,
  type InboundRecord,
} from '@crm/kafka';
import type { LogLevelName } from '@crm/service-kit';
import { createConsumerApp } from './create-consumer-app.js';
import { testBrokers } from './test-kafka.js';
import { waitFor } from './wait-for.js';

/** The pattern the test controller listens on; `input` is aliased to it. */
const TEST_PATTERN = 'test.consumer.in';
const HANDLER = Symbol('test-consumer-handler');

export type TestHandler = (record: InboundRecord) => HandlerResult;

/** Hands every record to the test's handler function: the shape of a real service's controller. */
@Controller()
class TestConsumerController {
  constructor(@Inject(HANDLER) private readonly handler: TestHandler) {}

  @EventPattern(TEST_PATTERN)
  handle(@Payload() record: InboundRecord): HandlerResult {
    return this.handler(record);
  }
}

@Module({})
class TestConsumerModule {
  static with(handler: TestHandler): DynamicModule {
    return {
      module: TestConsumerModule,
      controllers: [TestConsumerController],
      providers: [{ provide: HANDLER, useValue: handler }],
    };
  }
}

export interface TestConsumerOptions {
  readonly clientId: string;
  readonly groupId: string;
  /** The topic consumed. */
  readonly input: string;
  readonly handle: TestHandler;
  /** Further runtime settings (retry topics, DLQ, delays, …). */
  readonly server?: Omit<ConsumerServerOptions, 'clientId' | 'groupId' | 'kafka' | 'topicAliases'>;
  readonly logLevel?: LogLevelName;
}

/**
 * The real consumer runtime in a Nest app around one handler function, on
 * the test broker; resolves once the consumer has joined its group.
 */
export async function startTestConsumer(
  options: TestConsumerOptions,
): Promise<{ app: INestMicroservice; server: KafkaConsumerServer }> {
  const server = new KafkaConsumerServer({
    ...options.server,
    clientId: options.clientId,
    groupId: options.groupId,
    kafka: {
      clientId: options.clientId,
      brokers: testBrokers(),
      retry: { initialRetryTime: 50, retries: 10 },
    },
    topicAliases: { [TEST_PATTERN]: options.input },
  });
  const app = await createConsumerApp(
    TestConsumerModule.with(options.handle),
    server,
    options.clientId,
    options.logLevel,
  );
  await app.listen();
  await waitFor(() => server.isReady(), {
    timeoutMs: 20_000,
    description: `${options.groupId} joined its group`,
  });
  return { app, server };
}
