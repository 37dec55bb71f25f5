import { SpanKind, SpanStatusCode, context, trace, type Span } from '@opentelemetry/api';
import {
  TRACEPARENT_HEADER,
  contextFromHeaders,
  withSpanContext,
  type HeaderRecord,
} from './kafka-trace-headers.js';

const tracer = () => trace.getTracer('@crm/kafka-consumer');

export interface RecordToTrace {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly headers: HeaderRecord;
}

/** One consumer span per record; its parent is the record's `traceparent`. */
export interface ConsumerSpan {
  /** Runs `fn` with the span as the active context. */
  run<T>(fn: () => T): T;
  /** An output that carries `traceparent` continues the trace from this span. */
  chain<M extends { readonly headers?: HeaderRecord }>(message: M): M;
  fail(error: unknown): void;
  end(): void;
}

/**
 * Starts the span a consumer wraps around one record's handler. With tracing
 * off the span is non-recording and carries the parent's context, so outputs
 * keep the record's trace id either way.
 */
export function startConsumerSpan(record: RecordToTrace, group: string): ConsumerSpan {
  const parent = contextFromHeaders(record.headers);
  const span: Span = tracer().startSpan(
    `${record.topic} process`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'process',
        'messaging.destination.name': record.topic,
        'messaging.destination.partition.id': String(record.partition),
        'messaging.kafka.offset': Number(record.offset),
        'messaging.consumer.group.name': group,
      },
    },
    parent,
  );
  const active = trace.setSpan(parent, span);
  return {
    run: (fn) => context.with(active, fn),
    chain: (message) =>
      message.headers?.[TRACEPARENT_HEADER] === undefined
        ? message
        : { ...message, headers: withSpanContext(message.headers, span) },
    fail: (error) => {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR });
    },
    end: () => span.end(),
  };
}
