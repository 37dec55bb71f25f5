import {
  ROOT_CONTEXT,
  trace,
  type Context,
  type Span,
  type TextMapGetter,
  type TextMapSetter,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

/** Kafka header records as the runtime hands them to handlers and takes them back. */
export type HeaderRecord = Readonly<Record<string, Buffer | string | undefined>>;

export const TRACEPARENT_HEADER = 'traceparent';
export const TRACESTATE_HEADER = 'tracestate';

const propagator = new W3CTraceContextPropagator();

const getter: TextMapGetter<HeaderRecord> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => carrier[key]?.toString(),
};
const setter: TextMapSetter<Record<string, string>> = {
  set: (carrier, key, value) => {
    carrier[key] = value;
  },
};

/** The W3C trace context (traceparent/tracestate) of a Kafka record, as a parent context. */
export function contextFromHeaders(headers: HeaderRecord, base: Context = ROOT_CONTEXT): Context {
  return propagator.extract(base, headers, getter);
}

/** `traceparent` (and `tracestate`) of the span in `context`; empty if it has no valid span. */
export function traceHeaders(context: Context): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagator.inject(context, carrier, setter);
  return carrier;
}

/** The same headers with the trace context of `span` in place of theirs. */
export function withSpanContext<T extends HeaderRecord>(
  headers: T,
  span: Span,
): T & Record<string, string> {
  const injected = traceHeaders(trace.setSpan(ROOT_CONTEXT, span));
  const rest = Object.fromEntries(
    Object.entries(headers).filter(([name]) => name !== TRACESTATE_HEADER),
  );
  return { ...rest, ...injected } as T & Record<string, string>;
}

/** The trace id of a traceparent header value, or undefined if it is not one. */
export function traceIdOf(traceparent: string | undefined): string | undefined {
  return /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/.exec(traceparent ?? '')?.[1];
}
