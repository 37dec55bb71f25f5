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
const { INGRESS_SERVICE } = await import('./app/ingress.service.js');

/**
 * Ingress: HTTP webhooks in, durable raw records in Kafka out. SIGTERM/SIGINT/SIGHUP:
 * not ready, wait INGRESS_SHUTDOWN_DELAY_MS, answer in-flight requests, flush the producer.
 */
await runService(INGRESS_SERVICE);
