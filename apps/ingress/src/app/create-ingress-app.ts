import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { ConnectionsRegistry } from '@crm/connections';
import { ingressConfigFromEnv, type IngressConfig } from '../config/ingress-config.js';
import { RawRecordProducer } from '../kafka/raw-record-producer.js';
import { ALLOWED_MEDIA_TYPES } from '../webhooks/content-type-policy.js';
import { IngressMetrics } from '../ops/ingress-metrics.js';
import { Readiness } from '../ops/readiness.js';
import { fastifyOptions } from './http-options.js';
import { IngressModule } from './ingress.module.js';
import { NestPinoLogger } from './nest-pino-logger.js';

export interface IngressApp {
  readonly app: NestFastifyApplication;
  readonly config: IngressConfig;
  readonly readiness: Readiness;
  /** The base URL once listening, e.g. `http://127.0.0.1:8080`. */
  listen(): Promise<string>;
  /** Not ready, wait `shutdownDelayMs`, stop accepting, finish in-flight requests, flush, close. */
  close(): Promise<void>;
}

/**
 * Builds ingress from an environment: config and connections validated first
 * (throws naming the problem), then the Nest app on Fastify with a body parser
 * that keeps every body as raw bytes. The producer connects in the background
 * once listening; /readyz turns 200 when it has.
 */
export async function createIngressApp(env: NodeJS.ProcessEnv = process.env): Promise<IngressApp> {
  const config = ingressConfigFromEnv(env);
  // No Nest middleware and no uploads here: skipping middie and multipart keeps their hooks off the hot path.
  const adapter = new FastifyAdapter({
    ...fastifyOptions(config),
    skipMiddie: true,
    multipart: false,
  });
  const fastify = adapter.getInstance();
  const log = fastify.log;
  const connections = await ConnectionsRegistry.load(config.connectionsFile, {
    env,
    watch: true,
    logger: {
      log: (msg) => log.info(msg),
      warn: (msg) => log.warn(msg),
      error: (msg) => log.error(msg),
    },
  });
  // Every content type is read as bytes and never parsed: the record value is the body as sent.
  // The allowed types are registered by name as well: Fastify caches the parser it finds for a
  // Content-Type header, but re-parses the header on every request that only the '*' parser takes.
  fastify.removeAllContentTypeParsers();
  const keepBytes = { parseAs: 'buffer', bodyLimit: config.bodyLimitBytes } as const;
  const asIs = (
    _request: unknown,
    body: Buffer | string,
    done: (error: null, body: Buffer | string) => void,
  ) => done(null, body);
  fastify.addContentTypeParser([...ALLOWED_MEDIA_TYPES], keepBytes, asIs);
  fastify.addContentTypeParser('*', keepBytes, asIs);
  const app = await NestFactory.create<NestFastifyApplication>(
    IngressModule.forRoot(config, connections, log),
    adapter,
    { bodyParser: false, logger: new NestPinoLogger(log) },
  );
  const metrics = app.get(IngressMetrics);
  fastify.addHook('onResponse', (request, reply, done) => {
    if (request.routeOptions.url === '/webhooks/:source/:connectionId') {
      const params = request.params as { source?: string } | undefined;
      metrics.observeRequest(params?.source, reply.statusCode, reply.elapsedTime / 1000);
    }
    done();
  });
  const readiness = app.get(Readiness);
  const producer = app.get(RawRecordProducer);
  return {
    app,
    config,
    readiness,
    listen: async () => {
      await app.listen(config.port, config.host);
      void producer.start();
      const address = fastify.server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
      return `http://${host}:${port}`;
    },
    close: async () => {
      readiness.draining = true;
      if (config.shutdownDelayMs > 0)
        await new Promise((resolve) => setTimeout(resolve, config.shutdownDelayMs));
      await app.close();
      connections.close();
    },
  };
}
