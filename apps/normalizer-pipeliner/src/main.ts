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
const { NORMALIZER_PIPELINER_SERVICE } = await import('./app/normalizer-pipeliner.service.js');

/** normalizer-pipeliner: SIGTERM/SIGINT/SIGHUP finish the current slice, publish, commit and close. */
await runService(NORMALIZER_PIPELINER_SERVICE);
