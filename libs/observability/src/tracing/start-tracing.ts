import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  SimpleSpanProcessor,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { tracingEnabled, tracingServiceName } from './tracing-config.js';

export interface Tracing {
  readonly enabled: boolean;
  /** Flushes pending spans; call it on SIGTERM after the service has drained. */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Tests: export to this (synchronously) instead of OTLP over HTTP; enables tracing. */
  readonly exporter?: SpanExporter;
}

const DISABLED: Tracing = { enabled: false, shutdown: () => Promise.resolve() };
let current: Tracing | undefined;

/**
 * Starts OpenTelemetry tracing for this process when the environment asks for
 * it (see tracingEnabled): spans go to the OTLP/HTTP exporter, which reads its
 * endpoint, headers and timeouts from the standard OTEL_EXPORTER_OTLP_* variables;
 * sampling follows OTEL_TRACES_SAMPLER (default parent-based always-on). Off, the
 * OpenTelemetry API stays a no-op and trace context is still carried in headers.
 */
export function startTracing(serviceName: string, options: TracingOptions = {}): Tracing {
  const env = options.env ?? process.env;
  // One provider per process: a second call (the consumer runtime after main, say) shares it.
  if (current) return current;
  if (options.exporter === undefined && !tracingEnabled(env)) return DISABLED;
  const processor = options.exporter
    ? new SimpleSpanProcessor(options.exporter)
    : new BatchSpanProcessor(new OTLPTraceExporter());
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': tracingServiceName(serviceName, env) }),
    spanProcessors: [processor],
  });
  provider.register();
  let stopped: Promise<void> | undefined;
  current = { enabled: true, shutdown: () => (stopped ??= provider.shutdown()) };
  return current;
}
