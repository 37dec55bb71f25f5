import 'reflect-metadata';
import { runService } from '@crm/service-kit';
import { RETRY_SCHEDULER_SERVICE } from './app/retry-scheduler.service.js';

/**
 * The retry scheduler: SIGTERM/SIGINT/SIGHUP finish the slice in progress
 * (forward, acknowledge, commit), then leave the group.
 */
await runService(RETRY_SCHEDULER_SERVICE);
