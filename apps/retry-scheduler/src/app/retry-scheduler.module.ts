import {
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Kafka } from '@crm/kafka';
import {
  KAFKA_CLIENT,
  SERVICE_HEALTH,
  ServiceModule,
  consumerHealth,
  type ServiceModuleOptions,
} from '@crm/service-kit';
import { Registry } from 'prom-client';
import {
  SchedulerEnvironment,
  schedulerConfig,
  type SchedulerConfig,
} from '../config/scheduler-config.js';
import { RetryScheduler } from '../scheduler/retry-scheduler.js';

const SCHEDULER_CONFIG = Symbol('SCHEDULER_CONFIG');

/** The scheduler runs from the app's start to its shutdown (SIGTERM: the slice in progress completes). */
class SchedulerLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(private readonly scheduler: RetryScheduler) {}

  onApplicationBootstrap(): Promise<void> {
    return this.scheduler.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.scheduler.stop();
  }
}

/**
 * The retry scheduler: holds the retry tiers and re-delivers each record, when
 * due, to the consumer group that failed it. No Kafka transport (it handles no
 * events itself); its HTTP server serves only the kit's ops routes.
 */
@Module({})
export class RetrySchedulerModule {
  static forRoot(options: ServiceModuleOptions<SchedulerEnvironment>): DynamicModule {
    return {
      module: RetrySchedulerModule,
      imports: [ServiceModule.forRoot(options)],
      providers: [
        {
          provide: SCHEDULER_CONFIG,
          inject: [SchedulerEnvironment],
          useFactory: schedulerConfig,
        },
        {
          provide: RetryScheduler,
          inject: [SCHEDULER_CONFIG, KAFKA_CLIENT, Registry],
          useFactory: (config: SchedulerConfig, kafka: Kafka, registry: Registry) =>
            new RetryScheduler(config, kafka, registry),
        },
        {
          provide: SchedulerLifecycle,
          inject: [RetryScheduler],
          useFactory: (scheduler: RetryScheduler) => new SchedulerLifecycle(scheduler),
        },
        {
          provide: SERVICE_HEALTH,
          inject: [RetryScheduler],
          useFactory: consumerHealth,
        },
      ],
    };
  }
}
