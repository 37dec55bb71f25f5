import 'reflect-metadata';
import { installFastPaths } from '@crm/fast-paths';

// First, before anything loads kafkajs (its modules capture what the fast paths replace). The
// service logs the outcome once its logger exists; a bad CRM_FAST_PATHS is reported with the
// rest of the configuration.
try {
  installFastPaths({ warn: () => undefined });
} catch {
  // reported by the environment schema
}
const { runService } = await import('@crm/service-kit');
const { RETRY_SCHEDULER_SERVICE } = await import('./app/retry-scheduler.service.js');

/**
 * The retry scheduler: SIGTERM/SIGINT/SIGHUP finish the slice in progress
 * (forward, acknowledge, commit), then leave the group.
 */
await runService(RETRY_SCHEDULER_SERVICE);
