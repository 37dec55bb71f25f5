import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { ConnectionsRegistry } from '@crm/connections';
import { ROOT_LOGGER, type Logger } from '@crm/service-kit';
import { ingressConfig, type IngressEnvironment } from '../config/ingress-config.js';
import { IngressMetrics } from '../ops/ingress-metrics.js';
import { IngressExceptionFilter } from './ingress-exception-filter.js';
import { ALLOWED_MEDIA_TYPES } from '../webhooks/content-type-policy.js';

const WEBHOOK_ROUTE = '/webhooks/:source/:connectionId';

/**
 * Before listening: bodies kept as raw bytes, every webhook answer counted,
 * no request bytes in client-error log lines, and errors answered and logged
 * without the URL (IngressExceptionFilter).
 */
export function configureHttp(app: NestFastifyApplication, env: IngressEnvironment): void {
  const fastify = app.getHttpAdapter().getInstance();
  keepBodiesAsBytes(fastify, ingressConfig(env).maxBodyBytes);
  const metrics = app.get(IngressMetrics);
  dropRawPackets(fastify, metrics);
  const connections = app.get(ConnectionsRegistry);
  app.useGlobalFilters(
    new IngressExceptionFilter(
      metrics,
      app.get<Logger>(ROOT_LOGGER),
      (id) => connections.get(id) !== undefined,
    ),
  );
  fastify.addHook('onResponse', (request, reply, done) => {
    if (request.routeOptions.url === WEBHOOK_ROUTE) {
      const params = request.params as { source?: string } | undefined;
      metrics.observeRequest(params?.source, reply.statusCode, reply.elapsedTime / 1000);
    }
    done();
  });
}

/**
 * Every content type is read as bytes and never parsed: the record value is
 * the body as sent. The allowed types are registered by name as well: Fastify
 * caches the parser it finds for a Content-Type header, but re-parses the
 * header on every request that only the '*' parser takes.
 */
function keepBodiesAsBytes(fastify: FastifyInstance, bodyLimit: number): void {
  fastify.removeAllContentTypeParsers();
  const keepBytes = { parseAs: 'buffer', bodyLimit } as const;
  const asIs = (
    _request: unknown,
    body: Buffer | string,
    done: (error: null, body: Buffer | string) => void,
  ) => done(null, body);
  fastify.addContentTypeParser([...ALLOWED_MEDIA_TYPES], keepBytes, asIs);
  fastify.addContentTypeParser('*', keepBytes, asIs);
}

/**
 * Node attaches the unparsed request (URL token, signature headers) to a
 * malformed request's error as `rawPacket`, and Fastify logs that error at
 * trace level: the bytes are dropped before Fastify's handler sees the error.
 * Each is counted as a `malformed` client error.
 */
function dropRawPackets(fastify: FastifyInstance, metrics: IngressMetrics): void {
  fastify.server.prependListener('clientError', (error: Error & { rawPacket?: unknown }) => {
    delete error.rawPacket;
    metrics.clientError('malformed');
  });
}
