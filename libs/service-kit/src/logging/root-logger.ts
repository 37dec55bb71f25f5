import { trace } from '@opentelemetry/api';
import {
  pino,
  stdTimeFunctions,
  type DestinationStream,
  type Logger,
  type LoggerOptions,
} from 'pino';
import type { LogLevelName } from '../environment/service-environment.js';

/** Keys whose values never reach a log line, wherever pino finds them. */
export const REDACTED_LOG_PATHS = [
  'req.url',
  'req.query',
  'req.headers["x-signature"]',
  'req.headers["webhook-signature"]',
  'req.headers.authorization',
  'req.headers.cookie',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'password',
  '*.password',
];

/** Nest's words for pino's levels. */
export function pinoLevel(level: LogLevelName): string {
  if (level === 'log') return 'info';
  if (level === 'verbose') return 'trace';
  return level;
}

/** The active span's ids, so a log line can be found from a trace and back. */
function traceFields(): Record<string, string> {
  const context = trace.getActiveSpan()?.spanContext();
  return context ? { traceId: context.traceId, spanId: context.spanId } : {};
}

/**
 * The options every service logs with: one JSON object per line, ISO `time`,
 * string `level`, `service`, Nest's `context`, `msg`, and `traceId`/`spanId`
 * inside a span. No pid/hostname: Kubernetes adds the pod.
 */
export function loggerOptions(service: string, level: LogLevelName): LoggerOptions {
  return {
    level: pinoLevel(level),
    base: { service },
    messageKey: 'msg',
    timestamp: stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: traceFields,
    redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' },
    serializers: {
      err: pino.stdSerializers.err,
      req: (request: { method?: string; url?: string }) => ({
        method: request.method,
        path: request.url?.split('?')[0],
      }),
    },
  };
}

/** The process's one pino logger (Nest, Fastify and kafkajs all write through it). */
export function createRootLogger(
  service: string,
  level: LogLevelName,
  destination?: DestinationStream,
): Logger {
  return destination
    ? pino(loggerOptions(service, level), destination)
    : pino(loggerOptions(service, level));
}
