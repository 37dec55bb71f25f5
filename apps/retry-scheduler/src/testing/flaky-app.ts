import 'reflect-metadata';
import {
  Controller,
  Inject,
  Module,
  type DynamicModule,
  type INestMicroservice,
} from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { PipelineError } from '@crm/contracts';
import {
  KafkaConsumerServer,
  createConsumerApp,
  header,
  type HandlerResult,
  type InboundRecord,
} from '@crm/kafka';
import { JsonLogger } from '@crm/observability';
import { testBrokers, waitFor } from '@crm/testing';

export const FLAKY_INPUT = 'retry.test.in';
const SETUP = Symbol('flaky-setup');

/** What the test app did, per record value. */
export class FlakyLedger {
  readonly failures = new Map<string, number>();
  readonly successes = new Map<string, number>();
}

interface FlakySetup {
  readonly output: string;
  readonly ledger: FlakyLedger;
  /** false: this group never fails (a bystander group on the same topic). */
  readonly flaky: boolean;
}

/**
 * Fails a record retriably as many times as its `fail-times` header says
 * (`always`: every time), then echoes it to the output topic.
 */
@Controller()
class FlakyController {
  constructor(@Inject(SETUP) private readonly setup: FlakySetup) {}

  @EventPattern(FLAKY_INPUT)
  handle(@Payload() record: InboundRecord): HandlerResult {
    const id = record.value?.toString() ?? '';
    const { ledger } = this.setup;
    const failTimes = header(record, 'fail-times') ?? '0';
    const failed = ledger.failures.get(id) ?? 0;
    if (this.setup.flaky && (failTimes === 'always' || failed < Number(failTimes))) {
      ledger.failures.set(id, failed + 1);
      throw new PipelineError('downstream_unavailable', `attempt ${failed + 1} failed`, true);
    }
    ledger.successes.set(id, (ledger.successes.get(id) ?? 0) + 1);
    return [{ topic: this.setup.output, key: record.key, value: record.value }];
  }
}

@Module({})
class FlakyModule {
  static with(setup: FlakySetup): DynamicModule {
    return {
      module: FlakyModule,
      controllers: [FlakyController],
      providers: [{ provide: SETUP, useValue: setup }],
    };
  }
}

export interface RuntimeTopics {
  readonly input: string;
  readonly retry: readonly string[];
  readonly dlq: string;
}

/** The real consumer runtime, on unique topics, with retry delays of about a second. */
export async function startFlakyRuntime(
  topics: RuntimeTopics,
  groupId: string,
  setup: FlakySetup,
  retryDelaysMs: readonly number[],
): Promise<INestMicroservice> {
  const server = new KafkaConsumerServer({
    clientId: 'retry-test-runtime',
    groupId,
    kafka: {
      clientId: 'retry-test-runtime',
      brokers: testBrokers(),
      retry: { initialRetryTime: 50, retries: 10 },
    },
    topicAliases: { [FLAKY_INPUT]: topics.input },
    retryTopics: topics.retry,
    dlqTopic: topics.dlq,
    retryDelaysMs,
  });
  const app = await createConsumerApp(
    FlakyModule.with(setup),
    server,
    new JsonLogger('retry-test', 'error'),
  );
  await app.listen();
  await waitFor(() => server.isReady(), { timeoutMs: 20_000, description: `${groupId} joined` });
  return app;
}
