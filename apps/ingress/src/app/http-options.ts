import type { Server } from 'node:http';
import { LogController, type FastifyHttpOptions, type FastifyReply } from 'fastify';
import type { IngressConfig } from '../config/ingress-config.js';
import { UuidV7Generator } from '../webhooks/uuid-v7.js';
import { lazyChildLoggerFactory } from './lazy-child-logger.js';

/** Options of Nest's FastifyAdapter besides Fastify's own. */
interface AdapterOptions {
  /** No Nest middleware here: skipping middie keeps its hook off the hot path. */
  readonly skipMiddie: true;
  /** No uploads either. */
  readonly multipart: false;
}

/**
 * Fastify settings of the webhook API: request ids are UUIDv7 webhook ids
 * (logged as `webhookId`), no per-request log lines, a request logger made
 * only when something logs through it, the body limit, and header/body
 * timeouts against slow clients (checked every second), and no URL in the
 * answer to a malformed one. The logger itself is
 * the service kit's root logger (redaction included).
 */
export function fastifyOptions(config: IngressConfig): FastifyHttpOptions<Server> & AdapterOptions {
  const ids = new UuidV7Generator();
  return {
    bodyLimit: config.maxBodyBytes,
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
    // Fastify's own answer to an undecodable URL quotes the URL, query token included.
    frameworkErrors: (_error, request, frameworkReply) => {
      const reply = frameworkReply as FastifyReply;
      void reply
        .code(400)
        .header('content-type', 'application/json; charset=utf-8')
        .send(`{"status":"rejected","error":"bad_request","id":"${request.id}"}`);
    },
    skipMiddie: true,
    multipart: false,
  };
}
