import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { CustomTransportStrategy } from '@nestjs/microservices';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { LogController, type FastifyServerOptions } from 'fastify';
import { Logger as NestPinoLogger, PinoLogger, type Params } from 'nestjs-pino';
import type { DestinationStream, Logger } from 'pino';
import { fastPathsReport, type FastPathsReport } from '@crm/fast-paths';
import { PassThroughRpcFilter } from '@crm/kafka';
import type { ServiceEnvironment } from './environment/service-environment.js';
import {
  EnvironmentError,
  validateEnvironment,
  type EnvironmentClass,
} from './environment/validate-environment.js';
import { createRootLogger } from './logging/root-logger.js';
import type { ServiceModuleOptions } from './service.module.js';

export interface ServiceDefinition<E extends ServiceEnvironment> {
  readonly name: string;
  readonly environment: EnvironmentClass<E>;
  /** The app's root module; it imports `ServiceModule.forRoot(options)`. */
  module(options: ServiceModuleOptions<E>): DynamicModule;
  /** Fastify options besides the logger (ingress: body limit, timeouts, request ids). */
  http?(env: E): FastifyServerOptions;
  /** After creation, before listening (ingress: body parsers, hooks). */
  configure?(app: NestFastifyApplication, env: E): void | Promise<void>;
  /** false: the app reads bodies itself (ingress keeps them as raw bytes). */
  readonly bodyParser?: false;
  /** The provider that consumes Kafka (`@EventPattern` handlers), connected as a microservice. */
  readonly transport?: abstract new (...args: never[]) => CustomTransportStrategy;
}

export interface RunningService<E extends ServiceEnvironment> {
  readonly app: NestFastifyApplication;
  readonly env: E;
  /** Base URL, e.g. `http://127.0.0.1:9101`. */
  readonly url: string;
  /** The one shutdown path: Nest's lifecycle hooks, as on SIGTERM. */
  close(): Promise<void>;
}

export interface StartOptions {
  /** Default: process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Default: stdout. */
  readonly logDestination?: DestinationStream;
  /** Install SIGTERM/SIGINT/SIGHUP handlers (main: yes; tests: no). */
  readonly signals?: boolean;
}

const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'];

/**
 * Builds and starts a service the one way all of them are built: environment
 * validated (every problem at once), one pino logger for Nest, Fastify and
 * kafkajs, the app's module on Fastify, the Kafka transport (if any) as a
 * connected microservice, then listening on HOST:PORT.
 */
export async function startService<E extends ServiceEnvironment>(
  definition: ServiceDefinition<E>,
  options: StartOptions = {},
): Promise<RunningService<E>> {
  const processEnv = options.env ?? process.env;
  const env = validateEnvironment(definition.name, definition.environment, processEnv);
  const logger = createRootLogger(definition.name, env.LOG_LEVEL, options.logDestination);
  // No per-request log lines unless the app's own options say otherwise.
  const adapter = new FastifyAdapter({
    logController: new LogController({ disableRequestLogging: true }),
    ...definition.http?.(env),
    loggerInstance: logger,
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    definition.module({ name: definition.name, env, logger, processEnv }),
    adapter,
    {
      logger: createNestLogger(logger),
      abortOnError: false,
      bodyParser: definition.bodyParser ?? true,
    },
  );
  app.useLogger(app.get(NestPinoLogger));
  // process.exit after the hooks (not a re-raised signal) so pino flushes its last lines.
  if (options.signals) app.enableShutdownHooks(SHUTDOWN_SIGNALS, { useProcessExit: true });
  try {
    await definition.configure?.(app, env);
    if (definition.transport) {
      app.useGlobalFilters(new PassThroughRpcFilter());
      app.connectMicroservice(
        { strategy: app.get(definition.transport) },
        { inheritAppConfig: true },
      );
      await app.startAllMicroservices();
    }
    await app.listen(env.PORT, env.HOST);
  } catch (error) {
    await app.close();
    throw error;
  }
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : env.PORT;
  const host = env.HOST === '0.0.0.0' || env.HOST === '::' ? '127.0.0.1' : env.HOST;
  logFastPaths(logger, fastPathsReport());
  logger.info({ context: 'Service', port }, `${definition.name} started`);
  return { app, env, url: `http://${host}:${port}`, close: () => app.close() };
}

/**
 * A Nest LoggerService over a pino logger outside any container: Nest's own
 * start-up lines before the container's logger exists, and test apps.
 */
export function createNestLogger(logger: Logger): NestPinoLogger {
  const params: Params = { pinoHttp: { logger }, useExisting: true };
  return new NestPinoLogger(new PinoLogger(params), params);
}

/** Which speed-ups run: one line, and a warning for each that was skipped for a reason other than the switch. */
function logFastPaths(logger: Logger, report: FastPathsReport | undefined): void {
  const log = logger.child({ context: 'FastPaths' });
  if (!report) {
    log.warn('fast paths not installed: the stock kafkajs and class-validator code runs');
    return;
  }
  if (report.switch === 'off') {
    log.warn('CRM_FAST_PATHS=off: the stock kafkajs and class-validator code runs');
    return;
  }
  for (const { name, reason } of report.skipped)
    log.warn({ fastPath: name, reason }, 'fast path skipped');
  log.info({ installed: report.installed }, 'fast paths installed');
}

/**
 * A service's main: start it with signal handling; if it cannot start, one
 * fatal log line in the same format (naming every configuration problem)
 * and exit code 1.
 */
export async function runService<E extends ServiceEnvironment>(
  definition: ServiceDefinition<E>,
): Promise<void> {
  try {
    await startService(definition, { signals: true });
  } catch (error) {
    const logger = createRootLogger(definition.name, 'info').child({ context: 'Service' });
    const message = `${definition.name} failed to start`;
    if (error instanceof EnvironmentError) logger.fatal({ problems: error.problems }, message);
    else logger.fatal({ err: error }, message);
    process.exitCode = 1;
    logger.flush();
    setTimeout(() => process.exit(1), 100).unref();
  }
}

export type { Logger };
