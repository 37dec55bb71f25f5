import type { Server } from 'node:http';
import { LogController, type FastifyHttpOptions } from 'fastify';
import type { IngressConfig } from '../config/ingress-config.js';
import { lazyChildLoggerFactory } from './lazy-child-logger.js';
import { UuidV7Generator } from '../webhooks/uuid-v7.js';

/** Never logged: tokens ride in query strings, signatures in headers. */
export const REDACTED_PATHS = [
  'req.url',
  'req.query',
  'req.headers["x-signature"]',
  'req.headers["webhook-signature"]',
  'req.headers.authorization',
  'req.headers.cookie',
  'token',
  '*.token',
];

/**
 * Fastify settings: JSON logs (pino) keyed by the webhook id, with the query
 * string cut from every logged URL; no per-request log lines; body limit; and
 * header/body timeouts against slow clients (checked every second).
 */
export function fastifyOptions(config: IngressConfig): FastifyHttpOptions<Server> {
  const ids = new UuidV7Generator();
  return {
    bodyLimit: config.bodyLimitBytes,
    genReqId: () => ids.next(),
    childLoggerFactory: lazyChildLoggerFactory,
    logController: new LogController({
      disableRequestLogging: true,
      requestIdLogLabel: 'webhookId',
    }),
    requestTimeout: config.requestTimeoutMs,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    connectionTimeout: config.requestTimeoutMs,
    http: {
      headersTimeout: config.headersTimeoutMs,
      requestTimeout: config.requestTimeoutMs,
      connectionsCheckingInterval: 1_000,
    },
    logger: {
      level: config.logLevel,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: {
        req: (request: { method: string; url: string; id: string }) => ({
          method: request.method,
          path: request.url.split('?')[0],
        }),
      },
    },
  };
}
