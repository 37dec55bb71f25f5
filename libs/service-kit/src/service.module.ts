import {
  Inject,
  Logger as NestLogger,
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { createKafka, kafkaConfig, type Kafka, type RetryOptions } from '@crm/kafka';
import { startTracing, type Tracing } from '@crm/observability';
import type { ServiceEnvironment } from './environment/service-environment.js';
import { HealthController } from './health/health.controller.js';
import { kafkaLogSink } from './logging/kafka-log-sink.js';
import { MetricsController } from './metrics/metrics.controller.js';

/** Injection tokens for what ServiceModule provides besides classes. */
export const SERVICE_NAME = Symbol('SERVICE_NAME');
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');
export const KAFKA_CLIENT = Symbol('KAFKA_CLIENT');
export const TRACING = Symbol('TRACING');
/** The raw process environment, for `env:NAME` secret references. */
export const PROCESS_ENV = Symbol('PROCESS_ENV');

const PROMETHEUS_MISNAMED_DEFAULTS = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

/** Flushes spans last, after every other provider has shut down. */
class TracingShutdown implements OnApplicationShutdown {
  constructor(@Inject(TRACING) private readonly tracing: Tracing) {}

  onApplicationShutdown(): Promise<void> {
    return this.tracing.shutdown();
  }
}

/** One line when shutdown starts (with the signal) and one when every hook has run. */
class ShutdownLog implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly log = new NestLogger('Service');

  beforeApplicationShutdown(signal?: string): void {
    this.log.log(`stopping${signal ? ` on ${signal}` : ''}: draining, then closing`);
  }

  onApplicationShutdown(): void {
    this.log.log('stopped');
  }
}

export interface ServiceModuleOptions<E extends ServiceEnvironment> {
  readonly name: string;
  /** The validated environment (validateEnvironment), served by ConfigService. */
  readonly env: E;
  /** The raw environment the service was started with (secrets named `env:NAME`). */
  readonly processEnv: NodeJS.ProcessEnv;
  /** The process's pino logger, shared with the HTTP adapter (createRootLogger). */
  readonly logger: Logger;
  /** Overrides of the Kafka client's retry schedule (kafkaConfig's defaults otherwise). */
  readonly kafkaRetry?: RetryOptions;
}

/**
 * What every service is built on, imported once by each app's root module:
 * ConfigService over the validated environment, nestjs-pino over the one
 * root logger, /healthz and /readyz (terminus, from the app's SERVICE_HEALTH),
 * /metrics (a prom-client Registry with process metrics), the Kafka client
 * (its logs through the same logger) and OpenTelemetry tracing.
 */
@Module({})
export class ServiceModule {
  static forRoot<E extends ServiceEnvironment>(options: ServiceModuleOptions<E>): DynamicModule {
    const { name, env, logger, processEnv, kafkaRetry } = options;
    return {
      global: true,
      module: ServiceModule,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: true,
          skipProcessEnv: true,
          validatePredefined: false,
          load: [() => ({ ...env })],
        }),
        // Fastify owns the request logger (same pino instance): no pino-http middleware per request.
        LoggerModule.forRoot({ pinoHttp: { logger }, useExisting: true, forRoutes: [] }),
        TerminusModule.forRoot({ logger: false }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: SERVICE_NAME, useValue: name },
        { provide: ROOT_LOGGER, useValue: logger },
        { provide: PROCESS_ENV, useValue: processEnv },
        // The validated environment under its own schema class: `constructor(env: VerifierEnvironment)`.
        { provide: env.constructor, useValue: env },
        {
          provide: Registry,
          useFactory: () => {
            const registry = new Registry();
            collectDefaultMetrics({ register: registry });
            // Gauges named like counters fail Prometheus's naming rules (promtool check metrics);
            // the same counts stay available per type as nodejs_active_{handles,requests,resources}.
            for (const name of PROMETHEUS_MISNAMED_DEFAULTS) registry.removeSingleMetric(name);
            return registry;
          },
        },
        {
          provide: KAFKA_CLIENT,
          inject: [ConfigService, ROOT_LOGGER],
          useFactory: (config: ConfigService<ServiceEnvironment, true>, root: Logger): Kafka =>
            createKafka(
              kafkaConfig(
                name,
                {
                  brokers: config.get('KAFKA_BROKERS', { infer: true }),
                  ssl: config.get('KAFKA_SSL', { infer: true }),
                  saslMechanism: config.get('KAFKA_SASL_MECHANISM', { infer: true }),
                  saslUsername: config.get('KAFKA_SASL_USERNAME', { infer: true }),
                  saslPassword: config.get('KAFKA_SASL_PASSWORD', { infer: true }),
                },
                kafkaRetry,
              ),
              kafkaLogSink(root),
            ),
        },
        { provide: TRACING, useFactory: () => startTracing(name) },
        TracingShutdown,
        ShutdownLog,
      ],
      exports: [
        SERVICE_NAME,
        ROOT_LOGGER,
        PROCESS_ENV,
        env.constructor,
        Registry,
        KAFKA_CLIENT,
        TRACING,
      ],
    };
  }
}
