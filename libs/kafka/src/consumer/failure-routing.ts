import { FAILURE_HEADERS, PipelineError } from '@crm/contracts';
import type { InboundRecord, OutboundMessage } from './inbound-record.js';

/** Default schedule, after the seed documents' policy: up to 4 retries within an hour. */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [60_000, 300_000, 900_000, 1_800_000];

const MAX_ERROR_MESSAGE = 500;

export interface FailureContext {
  readonly groupId: string;
  /** One topic per retry tier; attempt n goes to tier n-1 (the last tier takes any further attempts). */
  readonly retryTopics: readonly string[];
  readonly dlqTopic: string;
  readonly delaysMs: readonly number[];
  readonly now: number;
}

interface Classified {
  code: string;
  message: string;
  retriable: boolean;
}

/** Our errors carry their own code and flag; anything else is unexpected and worth a retry. */
export function classify(error: unknown): Classified {
  if (error instanceof PipelineError)
    return { code: error.code, message: error.message, retriable: error.retriable };
  const message =
    error instanceof Error ? error.message : typeof error === 'string' ? error : 'non-error thrown';
  return { code: 'unexpected_error', message, retriable: true };
}

function stringHeaders(record: InboundRecord): Record<string, string | Buffer> {
  const out: Record<string, string | Buffer> = {};
  for (const [name, value] of Object.entries(record.headers))
    if (value !== undefined) out[name] = value;
  return out;
}

function originHeaders(
  record: InboundRecord,
  context: FailureContext,
  control: ReadonlyMap<string, string>,
) {
  return {
    [FAILURE_HEADERS.originTopic]: record.topic,
    [FAILURE_HEADERS.originPartition]: String(record.partition),
    [FAILURE_HEADERS.originOffset]: record.offset,
    [FAILURE_HEADERS.originGroup]: context.groupId,
    [FAILURE_HEADERS.firstFailedAt]:
      control.get(FAILURE_HEADERS.firstFailedAt) ?? new Date(context.now).toISOString(),
  };
}

/**
 * Decides where a failed record goes: the next retry tier (retriable, attempts
 * left) or the DLQ (non-retriable, or out of attempts). The record keeps its
 * key, value and business headers; failure headers say why and where from.
 */
export function routeFailure(
  record: InboundRecord,
  error: unknown,
  control: ReadonlyMap<string, string>,
  context: FailureContext,
): { message: OutboundMessage; outcome: 'retried' | 'dead_lettered'; code: string } {
  const { code, message, retriable } = classify(error);
  const previous = Number(control.get(FAILURE_HEADERS.attempt) ?? '0');
  const attempt = (Number.isInteger(previous) && previous > 0 ? previous : 0) + 1;
  const base = {
    ...stringHeaders(record),
    ...originHeaders(record, context, control),
    [FAILURE_HEADERS.errorCode]: code,
    [FAILURE_HEADERS.errorMessage]: message.slice(0, MAX_ERROR_MESSAGE),
  };
  const tier = context.retryTopics[Math.min(attempt, context.retryTopics.length) - 1];
  const delay = context.delaysMs[attempt - 1];
  if (retriable && tier !== undefined && delay !== undefined) {
    return {
      outcome: 'retried',
      code,
      message: {
        topic: tier,
        key: record.key,
        value: record.value,
        headers: {
          ...base,
          [FAILURE_HEADERS.attempt]: String(attempt),
          [FAILURE_HEADERS.dueAt]: String(context.now + delay),
        },
      },
    };
  }
  return {
    outcome: 'dead_lettered',
    code,
    message: {
      topic: context.dlqTopic,
      key: record.key,
      value: record.value,
      headers: {
        ...base,
        [FAILURE_HEADERS.dlqReason]: retriable ? 'retries_exhausted' : code,
        [FAILURE_HEADERS.attempts]: String(attempt),
        [FAILURE_HEADERS.deadLetteredAt]: new Date(context.now).toISOString(),
      },
    },
  };
}
