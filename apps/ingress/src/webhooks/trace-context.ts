import { randomHex } from './random-pool.js';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

export interface TraceContext {
  readonly traceparent: string;
  /** Passed on only with a valid incoming traceparent (W3C Trace Context §3.3). */
  readonly tracestate: string | undefined;
}

/**
 * The W3C trace context of the ingress span: a child of a valid incoming
 * `traceparent` (same trace id and flags, new span id), else a new trace.
 */
export function childTraceContext(
  traceparent: string | undefined,
  tracestate: string | undefined,
): TraceContext {
  const match = traceparent === undefined ? null : TRACEPARENT.exec(traceparent.trim());
  const spanId = randomHex(8);
  if (match && match[1] !== ZERO_TRACE && match[2] !== ZERO_SPAN) {
    return { traceparent: `00-${match[1]}-${spanId}-${match[3]}`, tracestate };
  }
  return {
    traceparent: `00-${randomHex(16)}-${spanId}-01`,
    tracestate: undefined,
  };
}
