import type { INestMicroservice } from '@nestjs/common';
import { PipelineError } from '@crm/contracts';
import { header } from '@crm/kafka';
import { startTestConsumer, type TestHandler } from '@crm/testing';

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
function flakyHandler(setup: FlakySetup): TestHandler {
  return (record) => {
    const id = record.value?.toString() ?? '';
    const { ledger } = setup;
    const failTimes = header(record, 'fail-times') ?? '0';
    const failed = ledger.failures.get(id) ?? 0;
    if (setup.flaky && (failTimes === 'always' || failed < Number(failTimes))) {
      ledger.failures.set(id, failed + 1);
      throw new PipelineError('downstream_unavailable', `attempt ${failed + 1} failed`, true);
    }
    ledger.successes.set(id, (ledger.successes.get(id) ?? 0) + 1);
    return [{ topic: setup.output, key: record.key, value: record.value }];
  };
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
  const { app } = await startTestConsumer({
    clientId: 'retry-test-runtime',
    groupId,
    input: topics.input,
    handle: flakyHandler(setup),
    server: { retryTopics: topics.retry, dlqTopic: topics.dlq, retryDelaysMs },
    logLevel: 'error',
  });
  return app;
}
