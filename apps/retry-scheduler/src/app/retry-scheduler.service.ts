import type { ServiceDefinition } from '@crm/service-kit';
import { SchedulerEnvironment } from '../config/scheduler-config.js';
import { RetrySchedulerModule } from './retry-scheduler.module.js';

/** How the retry scheduler is built and started (main.ts, tests and benchmarks alike). */
export const RETRY_SCHEDULER_SERVICE: ServiceDefinition<SchedulerEnvironment> = {
  name: 'retry-scheduler',
  environment: SchedulerEnvironment,
  module: (options) => RetrySchedulerModule.forRoot(options),
};
