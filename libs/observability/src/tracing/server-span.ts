import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';
import { contextFromHeaders, traceHeaders } from './kafka-trace-headers.js';

type RequestHeaders = Readonly<Record<string, string | string[] | undefined>>;

/** The span of one HTTP request that ends up in Kafka (ingress). */
export interface ServerSpan {
  /** False while tracing is off: keep the service's own trace-context handling then. */
  readonly recording: boolean;
  /** `traceparent` (and `tracestate`) of this span, to write into the record's headers. */
  traceHeaders(): Record<string, string>;
  end(httpStatus: number): void;
}

/** Starts a SERVER span, child of the request's `traceparent` when it carries a valid one. */
export function startServerSpan(
  name: string,
  headers: RequestHeaders,
  attributes: Attributes = {},
): ServerSpan {
  const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
  const parent = contextFromHeaders({
    traceparent: first(headers['traceparent']),
    tracestate: first(headers['tracestate']),
  });
  const span = trace
    .getTracer('@crm/ingress')
    .startSpan(name, { kind: SpanKind.SERVER, attributes }, parent);
  return {
    recording: span.isRecording(),
    traceHeaders: () => traceHeaders(trace.setSpan(ROOT_CONTEXT, span)),
    end: (httpStatus) => {
      span.setAttribute('http.response.status_code', httpStatus);
      if (httpStatus >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    },
  };
}
